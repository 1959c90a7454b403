// source: Cortex XDR XQL Language Reference - XQL Language Structure
dataset = xdr_data | limit 5
---
// source: Cortex XDR XQL Language Reference - XQL Language Structure
cold_dataset = xdr_data
| filter event_type = ENUM.PROCESS and agent_hostname = "WIN10-LAB-01"
| fields _time, agent_hostname, action_process_image_name
| limit 50
---
// source: Cortex XDR XQL Language Reference - XQL Language Structure (hot and cold in one query)
cold_dataset = xdr_data
| filter agent_hostname = "FIN-LAPTOP-07"
| union (dataset = xdr_data | filter agent_hostname = "FIN-LAPTOP-07")
| sort desc _time
| limit 100
---
// source: Cortex XDR XQL Language Reference - Datasets (multiple datasets)
dataset in (xdr_data, panw_ngfw_traffic_raw)
| filter _time > to_timestamp(1704067200, "SECONDS")
| fields _time, _product, _vendor
| limit 25
---
// source: Cortex XDR XQL Language Reference - Presets
preset = xdr_process
| filter actor_process_image_name = "explorer.exe"
| fields agent_hostname, action_process_image_name, action_process_image_command_line
| limit 100
---
// source: Cortex XDR XQL Language Reference - Presets
preset = network_story
| filter action_remote_port = 3389 and action_remote_ip != null
| fields agent_hostname, action_local_ip, action_remote_ip, action_remote_port
---
// source: Cortex XDR XQL Language Reference - Presets
preset = authentication_story
| filter auth_outcome = "FAILURE"
| comp count() as failures by auth_identity, auth_client
| filter failures > 20
| sort desc failures
---
// source: Cortex XSIAM XQL Language Reference - Cortex Data Model (datamodel)
datamodel dataset = panw_ngfw_traffic_raw
| filter xdm.target.port = 22 and xdm.target.ipv4 not incidr "10.0.0.0/8"
| fields xdm.source.ipv4, xdm.target.ipv4, xdm.target.port, xdm.observer.action
---
// source: Cortex XSIAM XQL Language Reference - Cortex Data Model (datamodel)
datamodel
| filter xdm.event.outcome = XDM_CONST.OUTCOME_FAILED and xdm.event.type = "Authentication"
| comp count() as failed by xdm.source.user.username, xdm.source.ipv4
| sort desc failed
| limit 20
---
// source: Cortex XSIAM XQL Language Reference - Cortex Data Model (multiple datasets)
datamodel dataset in (panw_ngfw_traffic_raw, fortinet_fortigate_raw)
| filter xdm.target.port in (445, 139)
| comp count_distinct(xdm.target.ipv4) as targets by xdm.source.ipv4
| filter targets > 50
---
// source: Cortex XDR XQL Language Reference - config stage (case_sensitive)
config case_sensitive = false
| dataset = xdr_data
| filter action_process_image_name = "PowerShell.EXE" and action_process_image_command_line contains "bypass"
| fields agent_hostname, action_process_image_command_line
---
// source: Cortex XDR XQL Language Reference - config stage (timeframe)
config timeframe = 30d
| dataset = xdr_data
| filter event_type = ENUM.NETWORK and dns_query_name contains "onion"
| comp count() as hits by agent_hostname, dns_query_name
---
// source: adapted from XQL Language Structure (default dataset, no source)
filter event_type = ENUM.FILE and action_file_extension in ("docm", "xlsm", "pptm")
| fields _time, agent_hostname, action_file_path
| limit 100
---
// source: Cortex XDR XQL Language Reference - filter stage
dataset = xdr_data
| filter agent_hostname = "DC01" and event_type = ENUM.EVENT_LOG and action_evtlog_event_id = 4720
| fields _time, action_evtlog_message
---
// source: Cortex XDR XQL Language Reference - filter stage (or / parentheses)
dataset = xdr_data
| filter (action_local_port = 22 or action_local_port = 3389) and action_remote_ip != "127.0.0.1"
| fields agent_hostname, action_local_port, action_remote_ip
| limit 200
---
// source: Cortex XDR XQL Language Reference - Supported Operators (IN with wildcards)
dataset = xdr_data
| filter action_process_image_name in ("*psexec*", "*paexec*", "remcom*.exe")
| fields agent_hostname, actor_effective_username, action_process_image_command_line
---
// source: Cortex XDR XQL Language Reference - Supported Operators (CONTAINS)
dataset = xdr_data
| filter lowercase(actor_process_image_name) contains "psexec"
| comp count() as n by agent_hostname
---
// source: Cortex XDR XQL Language Reference - Supported Operators (~= regex)
dataset = xdr_data
| filter action_process_image_name ~= ".*?\.(?:pdf|docx)\.exe"
| fields agent_hostname, action_process_image_path, action_process_image_sha256
---
// source: Cortex XDR XQL Language Reference - Supported Operators (INCIDR with multiple CIDRs)
dataset = xdr_data
| filter action_remote_ip incidr "192.168.0.0/24, 1.168.0.0/24"
| fields agent_hostname, action_remote_ip, action_remote_port
---
// source: Cortex XDR XQL Language Reference - Supported Operators (INCIDR6)
dataset = xdr_data
| filter action_remote_ip incidr6 "3031:3233:3435:3637:0000:0000:0000:0000/64"
| fields agent_hostname, action_remote_ip
---
// source: Cortex XDR XQL Language Reference - Supported Operators (NOT INCIDR6)
dataset = xdr_data
| filter event_type = ENUM.NETWORK and action_network_is_ipv6 = true and action_remote_ip not incidr6 "fc00::/7"
| comp count() as conns by action_remote_ip
---
// source: Cortex XDR XQL Language Reference - Supported Operators (NOT CONTAINS)
dataset = xdr_data
| filter event_type = ENUM.PROCESS
  and action_process_image_path not contains "\\Windows\\"
  and action_process_image_path not contains "\\Program Files"
| comp count() as launches by action_process_image_path
| sort asc launches
| limit 50
---
// source: adapted from Cortex XDR XQL Language Reference - Supported Operators (NOT IN)
dataset = xdr_data
| filter event_type = ENUM.NETWORK and action_remote_port not in (80, 443, 53, 123, 389, 636)
| comp count() as n by action_remote_port
| sort desc n
---
// source: adapted from Cortex XDR XQL Language Reference - filter stage (null checks)
dataset = xdr_data
| filter actor_effective_username = null and event_type = ENUM.PROCESS
| fields agent_hostname, action_process_image_name
| limit 10
---
// source: adapted from Cortex XDR XQL Language Reference - filter stage (time comparison)
dataset = xdr_data
| filter _time >= parse_timestamp("%Y-%m-%d %H:%M:%S", "2024-03-01 00:00:00")
  and _time < parse_timestamp("%Y-%m-%d %H:%M:%S", "2024-03-02 00:00:00")
| comp count() as events by agent_hostname
---
// source: Cortex XDR XQL Language Reference - alter stage
dataset = xdr_data
| alter username = coalesce(actor_primary_username, actor_effective_username, action_process_username)
| fields username, agent_hostname
| limit 25
---
// source: Cortex XDR Pro Administrator Guide - Create an XQL Query (coalesce example)
dataset = xdr_data
| fields actor_primary_username as apu, actor_effective_username as aeu
| alter username = coalesce(apu, aeu)
| filter username != null
| comp count() as n by username
---
// source: Cortex XDR XQL Language Reference - lowercase / uppercase functions
dataset = xdr_data
| alter host_lc = lowercase(agent_hostname), host_uc = uppercase(agent_hostname)
| fields host_lc, host_uc
| dedup host_lc
---
// source: Cortex XDR XQL Language Reference - concat function
dataset = xdr_data
| filter event_type = ENUM.NETWORK
| alter remote = concat(action_remote_ip, ":", to_string(action_remote_port))
| comp count() as n by remote
| sort desc n
| limit 20
---
// source: Cortex XDR XQL Language Reference - if function
dataset = xdr_data
| alter direction = if(action_local_port < 1024, "inbound_service", "outbound_client")
| comp count() as n by direction
---
// source: adapted from Cortex XDR XQL Language Reference - if function (nested)
dataset = xdr_data
| filter event_type = ENUM.FILE
| alter size_class = if(action_file_size > 104857600, "large", if(action_file_size > 1048576, "medium", "small"))
| comp count() as files by size_class
---
// source: Cortex XDR XQL Language Reference - to_integer / to_string functions
dataset = panw_ngfw_traffic_raw
| alter port_num = to_integer(to_string(dest_port))
| filter port_num > 49151
| comp count() as sessions by port_num
---
// source: Cortex XDR XQL Language Reference - to_number function
dataset = okta_sso_raw
| alter risk = to_number(json_extract_scalar(debugContext, "$.debugData.risk"))
| filter risk >= 0.8
| fields _time, actor, risk
---
// source: Cortex XDR XQL Language Reference - len function
dataset = xdr_data
| filter event_type = ENUM.PROCESS and len(action_process_image_command_line) > 1000
| fields agent_hostname, action_process_image_name, action_process_image_command_line
---
// source: Cortex XDR XQL Language Reference - split / arrayindex functions
dataset = xdr_data
| filter action_file_path != null
| alter file_name = arrayindex(split(action_file_path, "\\"), -1)
| fields file_name, action_file_path
| limit 10
---
// source: adapted from Cortex XDR XQL Language Reference - split / arrayindex functions
dataset = xdr_data
| filter dns_query_name != null
| alter labels = split(dns_query_name, "."), first_label = arrayindex(split(dns_query_name, "."), 0)
| filter len(first_label) > 40
| fields agent_hostname, dns_query_name, first_label
---
// source: Cortex XDR XQL Language Reference - json_extract function
dataset = cloud_audit_logs
| alter request = json_extract(raw_log, "$.requestParameters")
| fields operation_name, request
| limit 20
---
// source: Cortex XDR XQL Language Reference - json_extract_scalar function
dataset = xdr_data
| filter event_type = ENUM.EVENT_LOG and action_evtlog_event_id = 4625
| alter target_user = json_extract_scalar(action_evtlog_data_fields, "$.TargetUserName"),
        logon_type = json_extract_scalar(action_evtlog_data_fields, "$.LogonType")
| comp count() as failures by target_user, logon_type
---
// source: Cortex XDR XQL Language Reference - json_extract_scalar function (syntactic sugar)
dataset = amazon_aws_raw
| filter eventName = "ConsoleLogin"
| alter user_arn = userIdentity->arn, mfa = additionalEventData->MFAUsed, result = responseElements->ConsoleLogin
| filter mfa = "No" and result = "Success"
| fields _time, user_arn, sourceIPAddress
---
// source: Cortex XDR XQL Language Reference - json_extract_scalar function (field with dot)
dataset = okta_sso_raw
| alter country = client->geographicalContext.country, browser = client->userAgent.browser,
        zone = json_extract_scalar(client, "['zone']")
| fields actor, country, browser, zone
---
// source: adapted from Cortex XDR XQL Language Reference - json_extract_scalar function (key with spaces)
dataset = microsoft_windows_raw
| alter svc_name = event_data->["Service Name"], svc_file = event_data->["Service File Name"]
| filter event_id = 7045 and svc_file contains "\\AppData\\"
| fields _time, host_name, svc_name, svc_file
---
// source: Cortex XDR XQL Language Reference - json_extract_array function
dataset = cloud_audit_logs
| alter resources = json_extract_array(raw_log, "$.resources"), n = array_length(json_extract_array(raw_log, "$.resources"))
| filter n > 5
| fields operation_name, n, resources
---
// source: adapted from Cortex XDR XQL Language Reference - JSON functions (array index in path)
dataset = amazon_aws_raw
| alter first_resource = resources->[0].ARN, first_type = json_extract_scalar(raw_log, "$.resources[0].type")
| fields eventName, first_resource, first_type
| limit 20
---
// source: Cortex XDR XQL Language Reference - extract_time function
dataset = xdr_data
| filter event_type = ENUM.EVENT_LOG and action_evtlog_event_id = 4624
| alter hour = extract_time(_time, "HOUR"), weekday = extract_time(_time, "DAYOFWEEK")
| filter hour < 6 or weekday in (1, 7)
| comp count() as logons by actor_effective_username, hour
---
// source: Cortex XDR XQL Language Reference - regextract function
dataset = xdr_data
| filter event_type = ENUM.PROCESS and action_process_image_command_line contains "http"
| alter urls = regextract(action_process_image_command_line, "https?://[^\s\"']+")
| fields agent_hostname, urls
---
// source: adapted from Cortex XDR XQL Language Reference - regextract function
dataset = xdr_data
| filter event_type = ENUM.EVENT_LOG and action_evtlog_event_id = 4688
| alter parent = arrayindex(regextract(action_evtlog_message, "Creator Process Name:\s+(.+)"), 0)
| comp count() as n by parent
---
// source: Cortex XDR XQL Language Reference - replace function
dataset = xdr_data
| filter event_type = ENUM.PROCESS
| alter normalized = replace(lowercase(action_process_image_path), "c:\\users\\" , "%userprofile%\\")
| comp count() as n by normalized
| sort desc n
| limit 30
---
// source: Cortex XDR XQL Language Reference - trim / ltrim / rtrim functions
dataset = xdr_data
| alter cmd = trim(action_process_image_command_line),
        path = rtrim(action_file_path, "\\"),
        host = ltrim(agent_hostname, "0123456789-")
| fields cmd, path, host
| limit 10
---
// source: adapted from Cortex XDR XQL Language Reference - trim functions (quotes)
dataset = xdr_data
| filter event_type = ENUM.PROCESS
| alter exe = ltrim(rtrim(arrayindex(split(action_process_image_command_line, " "), 0), "\""), "\""), raw = trim(" padded ")
| comp count() as n by exe
---
// source: Cortex XDR XQL Language Reference - incidr function
dataset = xdr_data
| filter event_type = ENUM.NETWORK
| alter is_private = incidr(action_remote_ip, "10.0.0.0/8") or incidr(action_remote_ip, "172.16.0.0/12") or incidr(action_remote_ip, "192.168.0.0/16")
| filter is_private = false
| comp count_distinct(action_remote_ip) as external_peers by agent_hostname
---
// source: Cortex XDR XQL Language Reference - format_timestamp function
dataset = xdr_data
| alter day = format_timestamp("%Y-%m-%d", _time), hour = format_timestamp("%H", _time, "America/Chicago")
| comp count() as events by day, hour
| sort asc day, asc hour
---
// source: Cortex XDR XQL Language Reference - timestamp_diff function
dataset = endpoints
| alter days_silent = timestamp_diff(current_time(), last_seen, "DAY")
| filter days_silent > 14
| fields endpoint_name, endpoint_status, last_seen, days_silent
| sort desc days_silent
---
// source: adapted from Cortex XDR XQL Language Reference - timestamp_diff function
dataset = xdr_data
| filter event_type = ENUM.PROCESS
| alter age_minutes = timestamp_diff(_time, to_timestamp(actor_process_execution_time, "MILLIS"), "MINUTE")
| filter age_minutes > 1440
| fields agent_hostname, actor_process_image_name, age_minutes
---
// source: Cortex XDR XQL Language Reference - to_timestamp function
dataset = xdr_data
| alter proc_start = to_timestamp(action_process_execution_time, "MILLIS")
| fields action_process_image_name, proc_start
| limit 20
---
// source: Cortex XDR XQL Language Reference - parse_timestamp function
dataset = custom_app_logs
| alter event_ts = parse_timestamp("%d/%b/%Y:%H:%M:%S %z", request_time)
| filter event_ts > current_time()
| fields request_time, event_ts
---
// source: Cortex XDR XQL Language Reference - array_length / arraystring functions
dataset = endpoints
| alter ip_count = array_length(ip_address), ips = arraystring(ip_address, ", ")
| filter ip_count > 1
| fields endpoint_name, ip_count, ips
---
// source: Cortex XDR XQL Language Reference - arraycreate function
dataset = xdr_data
| alter pair = arraycreate(agent_hostname, actor_effective_username)
| alter pair_text = arraystring(pair, "|")
| fields pair_text
| limit 5
---
// source: Cortex XDR XQL Language Reference - arraydistinct function
dataset = xdr_data
| comp values(action_remote_ip) as ips by agent_hostname
| alter unique_ips = arraydistinct(ips), n = array_length(arraydistinct(ips))
| sort desc n
---
// source: Cortex XDR XQL Language Reference - arrayfilter function
dataset = endpoints
| alter public_ips = arrayfilter(ip_address, "@element" not incidr "10.0.0.0/8")
| filter array_length(public_ips) > 0
| fields endpoint_name, public_ips
---
// source: adapted from Cortex XDR XQL Language Reference - arrayfilter function
dataset = cloud_audit_logs
| alter admin_roles = arrayfilter(json_extract_array(raw_log, "$.roles"), "@element" contains "Admin")
| filter array_length(admin_roles) > 0
| fields identity_name, admin_roles
---
// source: Cortex XDR XQL Language Reference - arraymap function
dataset = amazon_aws_raw
| alter arns = arraymap(json_extract_array(raw_log, "$.resources"), json_extract_scalar("@element", "$.ARN"))
| fields eventName, arns
| limit 20
---
// source: adapted from Cortex XDR XQL Language Reference - arraymap function
dataset = endpoints
| alter tagged = arraymap(ip_address, concat("ip:", "@element"))
| alter tags = arraystring(tagged, ";")
| fields endpoint_name, tags
---
// source: Cortex XDR XQL Language Reference - object_create function
dataset = xdr_data
| filter event_type = ENUM.NETWORK
| alter conn = object_create("src", action_local_ip, "dst", action_remote_ip, "port", action_remote_port)
| fields agent_hostname, conn
| limit 10
---
// source: adapted from Cortex XDR XQL Language Reference - object_create function
dataset = xdr_data
| filter event_type = ENUM.PROCESS
| alter summary = object_create("host", agent_hostname, "user", actor_effective_username, "cmd", action_process_image_command_line)
| alter user_back = json_extract_scalar(to_string(summary), "$.user")
| fields summary, user_back
---
// source: Cortex XDR XQL Language Reference - string_count function
dataset = xdr_data
| filter event_type = ENUM.PROCESS and action_process_image_name = "powershell.exe"
| alter carets = string_count(action_process_image_command_line, "^"), ticks = string_count(action_process_image_command_line, "`")
| filter carets > 5 or ticks > 5
| fields agent_hostname, action_process_image_command_line
---
// source: Cortex XDR XQL Language Reference - add / subtract functions
dataset = panw_ngfw_traffic_raw
| alter total_bytes = add(bytes_sent, bytes_received), delta = subtract(bytes_sent, bytes_received)
| filter delta > 100000000
| fields source_ip, dest_ip, total_bytes, delta
---
// source: Cortex XDR XQL Language Reference - multiply / divide / round functions
dataset = panw_ngfw_traffic_raw
| comp sum(bytes_sent) as sent, sum(bytes_received) as recv by source_ip
| alter ratio = round(divide(multiply(sent, 100), add(recv, 1)))
| filter ratio > 500
| sort desc ratio
---
// source: Cortex XDR XQL Language Reference - floor / pow functions
dataset = xdr_data
| filter event_type = ENUM.FILE and action_file_size > 0
| alter size_bucket = floor(divide(action_file_size, pow(2, 20))), kib = floor(action_file_size / 1024)
| comp count() as files by size_bucket
| sort asc size_bucket
---
// source: adapted from Cortex XDR XQL Language Reference - pow / round / subtract functions
dataset = panw_ngfw_traffic_raw
| alter gib = round(divide(bytes_sent, pow(1024, 3))), small = subtract(multiply(2, 3), 1)
| filter gib >= 1
| fields source_ip, dest_ip, gib
---
// source: Cortex XDR XQL Language Reference - current_time function
dataset = xdr_data
| filter timestamp_diff(current_time(), _time, "HOUR") <= 24 and event_type = ENUM.PROCESS
| comp count() as launches by action_process_image_name
| sort desc launches
| limit 25
---
// source: Cortex XDR XQL Language Reference - fields stage
dataset = xdr_data
| fields agent_hostname as host, agent_ip_addresses, actor_process_image_name as parent, action_process_image_name
| limit 100
---
// source: Cortex XDR XQL Language Reference - fields stage (exclude)
dataset = xdr_data
| filter event_type = ENUM.PROCESS
| fields - action_process_image_md5, action_process_image_sha256, actor_process_image_md5
| limit 10
---
// source: Cortex XDR XQL Language Reference - comp stage
dataset = xdr_data
| comp count() as total, count_distinct(agent_id) as agents by event_type
---
// source: Cortex XDR XQL Language Reference - comp stage (addrawdata)
dataset = xdr_data
| filter event_type = ENUM.NETWORK and action_remote_port = 445
| comp count_distinct(action_remote_ip) as smb_peers by agent_hostname addrawdata = true as raw_events
| filter smb_peers > 25
---
// source: Cortex XDR XQL Language Reference - comp stage (approximate aggregate)
dataset = xdr_data
| filter event_type = ENUM.NETWORK
| comp approx_count(dns_query_name) as unique_domains by agent_hostname
| sort desc unique_domains
| limit 10
---
// source: adapted from Cortex XDR XQL Language Reference - approx_count function
dataset = panw_ngfw_traffic_raw
| comp approx_count(dest_ip) as dests, count() as sessions by source_ip
| filter dests > 1000
---
// source: Cortex XDR XQL Language Reference - sum / avg / min / max functions
dataset = panw_ngfw_traffic_raw
| comp sum(bytes_sent) as total_sent, avg(bytes_sent) as avg_sent, min(_time) as first_seen, max(_time) as last_seen by source_ip, dest_ip
| sort desc total_sent
| limit 20
---
// source: Cortex XDR XQL Language Reference - values / list functions
dataset = xdr_data
| filter event_type = ENUM.PROCESS and actor_process_image_name = "wmiprvse.exe"
| comp values(action_process_image_name) as children, list(action_process_image_command_line) as cmds by agent_hostname
---
// source: Cortex XDR XQL Language Reference - earliest / latest functions
dataset = xdr_data
| filter event_type = ENUM.FILE and action_file_sha256 != null
| comp earliest(_time) as first_write, latest(_time) as last_write, count_distinct(agent_id) as hosts by action_file_sha256
| filter hosts = 1
---
// source: Cortex XDR XQL Language Reference - first / last functions
dataset = xdr_data
| filter event_type = ENUM.PROCESS
| sort asc _time
| comp first(action_process_image_command_line) as first_cmd, last(action_process_image_command_line) as last_cmd by agent_hostname
---
// source: Cortex XDR XQL Language Reference - median / var / stddev functions
dataset = panw_ngfw_traffic_raw
| comp median(bytes_sent) as med, var(bytes_sent) as variance, stddev(bytes_sent) as sd, avg(bytes_sent) as mean by source_ip
| alter threshold = add(mean, multiply(sd, 3))
| fields source_ip, med, variance, threshold
---
// source: adapted from Cortex XDR XQL Language Reference - stddev function (beaconing)
dataset = xdr_data
| filter event_type = ENUM.NETWORK and action_remote_port = 443
| windowcomp count() by agent_hostname, action_remote_ip sort asc _time as seq
| comp stddev(seq) as jitter, count() as conns, median(seq) as mid by agent_hostname, action_remote_ip
| filter conns > 100
---
// source: Cortex XDR XQL Language Reference - sort stage
dataset = xdr_data
| filter event_type = ENUM.PROCESS
| sort desc _time, asc agent_hostname
| limit 100
---
// source: Cortex XDR XQL Language Reference - sort stage
dataset = xdr_data
| comp count() as n by actor_process_image_name
| sort n desc
| limit 15
---
// source: Cortex XDR XQL Language Reference - dedup stage
dataset = xdr_data
| filter event_type = ENUM.PROCESS
| dedup action_process_image_sha256 by asc _time
| fields _time, agent_hostname, action_process_image_path, action_process_image_sha256
---
// source: Cortex XDR XQL Language Reference - dedup stage
dataset = xdr_data
| dedup agent_hostname, actor_effective_username by desc _time
| fields agent_hostname, actor_effective_username, _time
---
// source: Cortex XDR XQL Language Reference - join stage
dataset = xdr_data
| filter event_type = ENUM.PROCESS and action_process_image_name = "powershell.exe"
| join type = inner (dataset = xdr_data | filter event_type = ENUM.NETWORK | fields agent_id, actor_process_instance_id as pid, action_remote_ip) as net
  net.agent_id = agent_id and net.pid = action_process_instance_id
| fields agent_hostname, action_process_image_command_line, net.action_remote_ip
---
// source: Cortex XDR XQL Language Reference - join stage (conflict_strategy)
dataset = xdr_data
| fields agent_id, agent_hostname
| join conflict_strategy = right type = left (dataset = endpoints | fields endpoint_id as agent_id, endpoint_name as agent_hostname, operating_system) as ep ep.agent_id = agent_id
| dedup agent_id
---
// source: adapted from Cortex XDR XQL Language Reference - join stage
dataset = panw_ngfw_threat_raw
| filter severity in ("critical", "high")
| join type = left (dataset = endpoints | alter ip = arrayindex(ip_address, 0) | fields endpoint_name, ip) as host host.ip = source_ip
| fields _time, threat_name, source_ip, host.endpoint_name
---
// source: adapted from public hunting query (process with no prior network activity)
preset = xdr_process
| filter action_process_image_name = "rundll32.exe"
| join type = left conflict_strategy = both (preset = xdr_network | fields agent_id, actor_process_image_sha256, action_remote_ip) as n n.agent_id = agent_id
| filter n.action_remote_ip != null
| comp count() as hits by agent_hostname, n.action_remote_ip
---
// source: Cortex XDR XQL Language Reference - union stage
dataset = xdr_data
| filter action_process_image_name = "schtasks.exe"
| fields _time, agent_hostname, action_process_image_command_line
| union (dataset = microsoft_windows_raw | filter event_id = 4698 | fields _time, host_name, event_data)
---
// source: Cortex XDR XQL Language Reference - union stage (dataset name)
dataset = panw_ngfw_traffic_raw
| filter action = "deny"
| union panw_ngfw_threat_raw
| comp count() as events by _product
---
// source: Cortex XSIAM XQL Language Reference - windowcomp stage
dataset = xdr_data
| filter event_type = ENUM.PROCESS
| windowcomp count() by agent_hostname sort asc _time as launches_so_far
| fields _time, agent_hostname, action_process_image_name, launches_so_far
---
// source: Cortex XSIAM XQL Language Reference - windowcomp stage (rank)
dataset = panw_ngfw_traffic_raw
| comp sum(bytes_sent) as sent by source_ip, dest_ip
| windowcomp rank() by source_ip sort desc sent as dest_rank
| filter dest_rank <= 3
---
// source: Cortex XSIAM XQL Language Reference - windowcomp stage (row_number)
dataset = xdr_data
| filter event_type = ENUM.EVENT_LOG and action_evtlog_event_id = 4624
| windowcomp row_number() by actor_effective_username sort desc _time as rn
| filter rn = 1
| fields actor_effective_username, agent_hostname, _time
---
// source: Cortex XSIAM XQL Language Reference - windowcomp stage (multiple functions)
dataset = panw_ngfw_traffic_raw
| windowcomp sum(bytes_sent) by source_ip sort asc _time as running_sent, max(bytes_sent) by source_ip as max_sent
| fields _time, source_ip, bytes_sent, running_sent, max_sent
---
// source: Cortex XSIAM XQL Language Reference - windowcomp stage (between frame)
dataset = panw_ngfw_traffic_raw
| windowcomp avg(bytes_sent) by source_ip sort asc _time between -5 and 0 as moving_avg
| filter bytes_sent > multiply(moving_avg, 10)
---
// source: adapted from Cortex XSIAM XQL Language Reference - windowcomp stage (rank + row_number)
dataset = xdr_data
| comp count() as n by agent_hostname, action_process_image_name
| windowcomp rank() by agent_hostname sort asc n as rarity, row_number() by agent_hostname sort asc n as rn
| filter rarity = 1
---
// source: Cortex XDR XQL Language Reference - arrayexpand stage
dataset = endpoints
| arrayexpand ip_address
| fields endpoint_name, ip_address
---
// source: Cortex XDR XQL Language Reference - arrayexpand stage (limit)
dataset = xdr_data
| filter dns_query_name != null
| alter parts = split(dns_query_name, ".")
| arrayexpand parts limit 3
| comp count() as n by parts
---
// source: Cortex XDR XQL Language Reference - replacenull stage
dataset = xdr_data
| replacenull actor_effective_username = "<unknown>"
| comp count() as n by actor_effective_username
---
// source: Cortex XDR XQL Language Reference - replacenull stage
dataset = xdr_data
| filter event_type = ENUM.FILE
| replacenull action_file_extension = "none"
| comp count() by action_file_extension
---
// source: Cortex XDR XQL Language Reference - bin stage (time span)
dataset = xdr_data
| filter event_type = ENUM.NETWORK
| bin _time span = 1h
| comp count() as conns by _time
| sort asc _time
---
// source: Cortex XDR XQL Language Reference - bin stage (timeshift, timezone)
dataset = xdr_data
| bin _time span = 1d timeshift = 1615895471 timezone = "America/Chicago"
| comp count() as events by _time, agent_hostname
---
// source: Cortex XDR XQL Language Reference - bin stage (quantity)
dataset = xdr_data
| filter event_type = ENUM.FILE
| bin action_file_size bins = 20
| comp count() as files by action_file_size
---
// source: Cortex XDR XQL Language Reference - top stage
dataset = xdr_data
| filter event_type = ENUM.PROCESS
| top 10 action_process_image_name
---
// source: Cortex XDR XQL Language Reference - top stage (by)
dataset = xdr_data
| filter event_type = ENUM.NETWORK
| top 5 action_remote_port by agent_hostname
---
// source: Cortex XDR XQL Language Reference - iploc stage
dataset = xdr_data
| filter event_type = ENUM.NETWORK and action_remote_ip not incidr "10.0.0.0/8"
| iploc action_remote_ip loc_country as country, loc_city as city, loc_latlon as latlon
| fields agent_hostname, action_remote_ip, country, city, latlon
---
// source: adapted from Cortex XDR XQL Language Reference - iploc stage
dataset = okta_sso_raw
| alter ip = client->ipAddress
| iploc ip loc_country as country, loc_asn_org as asn
| filter country not in ("United States", "Canada")
| comp count() as logins by actor, country, asn
---
// source: Cortex XSIAM XQL Language Reference - call stage
call "Endpoints not seen in 7 days"
---
// source: adapted from Cortex XSIAM XQL Language Reference - call stage
dataset = xdr_data
| filter event_type = ENUM.PROCESS
| call "Enrich with asset owner"
| fields agent_hostname, asset_owner
---
// source: Cortex XSIAM XQL Language Reference - target stage
dataset = xdr_data
| filter event_type = ENUM.PROCESS and action_process_signature_status = ENUM.UNSIGNED
| fields agent_hostname, action_process_image_path, action_process_image_sha256
| target type = dataset unsigned_binaries
---
// source: Cortex XSIAM XQL Language Reference - target stage (append)
dataset = panw_ngfw_url_raw
| filter url_category = "malware"
| comp count() as hits by source_ip, url_domain
| target type = dataset append = true malware_url_hits
---
// source: Cortex XDR XQL Language Reference - view stage (highlight)
dataset = xdr_data
| filter event_type = ENUM.PROCESS
| fields agent_hostname, action_process_image_name, action_process_image_command_line
| view highlight fields = action_process_image_command_line values = "-enc", "bypass"
---
// source: Cortex XDR XQL Language Reference - view stage (graph)
dataset = xdr_data
| filter event_type = ENUM.NETWORK
| bin _time span = 1h
| comp count() as conns by _time
| view graph type = line xaxis = _time yaxis = conns
---
// source: Cortex XDR XQL Language Reference - view stage (graph with series)
dataset = panw_ngfw_traffic_raw
| comp sum(bytes_sent) as sent by app, from_zone
| view graph type = column subtype = stacked xaxis = app yaxis = sent series = from_zone
---
// source: Cortex XDR XQL Language Reference - view stage (pie)
dataset = xdr_data
| comp count() as n by agent_os_type
| view graph type = pie xaxis = agent_os_type yaxis = n
---
// source: Cortex XSIAM XQL Language Reference - getrole stage
dataset = okta_sso_raw
| alter user = actor->alternateId
| getrole user
| fields user, _time
---
// source: adapted from Cortex XSIAM XQL Language Reference - getrole stage
dataset = xdr_data
| filter event_type = ENUM.EVENT_LOG and action_evtlog_event_id = 4672
| getrole actor_effective_username
| comp count() as n by actor_effective_username
---
// source: Cortex XSIAM XQL Language Reference - tag stage
dataset = xdr_data
| filter event_type = ENUM.PROCESS and action_process_image_name = "ntdsutil.exe"
| tag add "credential-access"
---
// source: adapted from Cortex XSIAM XQL Language Reference - tag stage
dataset = panw_ngfw_threat_raw
| filter severity = "critical"
| tag add "triage", "ngfw-critical"
| fields _time, threat_name, source_ip, dest_ip
---
// source: Cortex XSIAM XQL Language Reference - search stage
search "Invoke-Mimikatz"
---
// source: adapted from Cortex XSIAM XQL Language Reference - search stage
dataset = xdr_data
| search "185.220.101.4"
| fields _time, agent_hostname, _product
| limit 50
---
// source: Cortex XSIAM XQL Language Reference - transaction stage
dataset = okta_sso_raw
| alter user = actor->alternateId
| transaction user span = 1h
| filter _num_of_rows > 50
---
// source: adapted from Cortex XSIAM XQL Language Reference - transaction stage
dataset = xdr_data
| filter event_type = ENUM.PROCESS
| transaction agent_hostname, actor_process_instance_id span = 10m maxevents = 500
| fields agent_hostname, _start_time, _end_time, _duration
---
// source: adapted from public hunting query (first-seen binaries across the fleet)
dataset = xdr_data
| filter event_type = ENUM.PROCESS and event_sub_type = ENUM.PROCESS_START
| comp min(_time) as first_seen, count_distinct(agent_id) as hosts, values(agent_hostname) as host_list by action_process_image_sha256, action_process_image_name
| filter hosts <= 2 and timestamp_diff(current_time(), first_seen, "DAY") <= 1
| sort desc first_seen
---
// source: adapted from public hunting query (rare parent/child pairs)
preset = xdr_process
| alter pair = concat(lowercase(actor_process_image_name), " -> ", lowercase(action_process_image_name))
| comp count() as n, count_distinct(agent_id) as hosts by pair
| filter n < 5 and hosts = 1
| sort asc n
| limit 100
---
// source: adapted from public hunting query (DNS tunnelling)
dataset = xdr_data
| filter event_type = ENUM.NETWORK and dns_query_name != null
| alter sub = arrayindex(split(dns_query_name, "."), 0), dots = string_count(dns_query_name, ".")
| filter len(sub) > 30 or dots > 6
| comp count() as queries, count_distinct(sub) as uniq by agent_hostname, actor_process_image_name
| filter uniq > 100
---
// source: adapted from public hunting query (password spray)
dataset = xdr_data
| filter event_type = ENUM.EVENT_LOG and action_evtlog_event_id = 4625
| alter src = action_evtlog_data_fields->IpAddress, target = action_evtlog_data_fields->TargetUserName
| bin _time span = 30m
| comp count_distinct(target) as users, count() as attempts by src, _time
| filter users > 15
| sort desc users
---
// source: adapted from public hunting query (lateral movement with PsExec service)
dataset = xdr_data
| filter event_type = ENUM.EVENT_LOG and action_evtlog_event_id = 7045
| alter service = json_extract_scalar(action_evtlog_data_fields, "$.ServiceName"),
        image = json_extract_scalar(action_evtlog_data_fields, "$.ImagePath")
| filter service in ("PSEXESVC", "BTOBTO") or image ~= "(?i)\\\\admin\\$\\\\"
| fields _time, agent_hostname, service, image
---
// source: adapted from public hunting query (off-hours admin logons)
dataset = xdr_data
| filter event_type = ENUM.EVENT_LOG and action_evtlog_event_id = 4624
| alter logon_type = to_integer(action_evtlog_data_fields->LogonType), hour = extract_time(_time, "HOUR")
| filter logon_type = 10 and (hour < 7 or hour > 19)
| comp count() as logons, values(agent_hostname) as hosts by actor_effective_username
---
// source: adapted from public hunting query (large uploads per user)
dataset = xdr_data
| filter event_type = ENUM.NETWORK and action_remote_ip not incidr "10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16"
| comp sum(action_upload) as uploaded by agent_hostname, actor_effective_username
| alter uploaded_mb = round(divide(uploaded, 1048576))
| filter uploaded_mb > 500
| sort desc uploaded_mb
---
// source: adapted from public hunting query (unsigned process from user-writable path)
dataset = xdr_data
| filter event_type = ENUM.PROCESS and action_process_signature_status = ENUM.UNSIGNED
| alter dir = lowercase(replace(action_process_image_path, action_process_image_name, ""))
| filter dir contains "\\appdata\\" or dir contains "\\users\\public\\" or dir contains "\\programdata\\"
| comp count_distinct(agent_id) as hosts, earliest(_time) as first_seen by action_process_image_sha256, dir
---
// source: adapted from public hunting query (AWS console logins without MFA)
dataset = amazon_aws_raw
| filter eventName = "ConsoleLogin" and json_extract_scalar(additionalEventData, "$.MFAUsed") = "No"
| iploc sourceIPAddress loc_country as country
| comp count() as logins, values(country) as countries by userIdentity->arn
---
// source: adapted from public hunting query (Okta MFA push fatigue)
dataset = okta_sso_raw
| filter eventType = "system.push.send_factor_verify_push" or eventType = "user.mfa.okta_verify.deny_push"
| alter user = actor->alternateId, result = outcome->result
| bin _time span = 10m
| comp count() as pushes, count_distinct(result) as outcomes by user, _time
| filter pushes >= 5
---
// source: adapted from public hunting query (top talkers by app)
dataset = panw_ngfw_traffic_raw
| filter to_zone = "untrust"
| comp sum(bytes_sent) as sent, sum(bytes_received) as recv by app
| alter total_gb = round(divide(add(sent, recv), pow(1024, 3)))
| sort desc total_gb
| limit 10
| view graph type = bar xaxis = app yaxis = total_gb
---
// source: adapted from public hunting query (new local admin accounts)
dataset = xdr_data
| filter event_type = ENUM.EVENT_LOG and action_evtlog_event_id in (4720, 4732)
| alter member = json_extract_scalar(action_evtlog_data_fields, "$.MemberName"),
        group = json_extract_scalar(action_evtlog_data_fields, "$.TargetUserName")
| filter group in ("Administrators", "Domain Admins", "Enterprise Admins")
| fields _time, agent_hostname, actor_effective_username, member, group
---
// source: adapted from public hunting query (Kerberoasting RC4 tickets)
dataset = xdr_data
| filter event_type = ENUM.EVENT_LOG and action_evtlog_event_id = 4769
| alter enc = action_evtlog_data_fields->TicketEncryptionType, svc = action_evtlog_data_fields->ServiceName
| filter enc = "0x17" and svc not contains "$" and svc != "krbtgt"
| comp count_distinct(svc) as services by actor_effective_username
| filter services > 5
---
// source: adapted from public hunting query (process tree depth via causality)
preset = xdr_process
| filter causality_actor_process_image_name in ("winword.exe", "excel.exe", "outlook.exe")
| comp count() as spawned, values(action_process_image_name) as images by causality_actor_process_image_name, agent_hostname
| sort desc spawned
---
// source: adapted from public hunting query (triple-quoted strings)
dataset = xdr_data
| filter event_type = ENUM.PROCESS and action_process_image_command_line contains """-Command "& {IEX"""
| fields agent_hostname, action_process_image_command_line
---
// source: adapted from public hunting query (cloud audit deletions)
dataset = cloud_audit_logs
| filter operation_name in ("DeleteTrail", "DeleteFlowLogs", "DeleteDetector", "DisableKey")
| alter who = coalesce(identity_name, identity_invoked_by, "unknown")
| comp count() as n, earliest(_time) as first, latest(_time) as last by who, operation_name, cloud_provider
---
// source: adapted from public hunting query (GCP/Azure admin activity by hour)
dataset = cloud_audit_logs
| alter hour = format_timestamp("%Y-%m-%d %H:00", _time)
| comp count() as ops by hour, cloud_provider
| sort asc hour
| view graph type = line xaxis = hour yaxis = ops series = cloud_provider
---
// source: adapted from public hunting query (rarest processes per host)
preset = xdr_process
| comp count() as n by agent_hostname, action_process_image_name
| windowcomp row_number() by agent_hostname sort asc n as rn
| filter rn <= 3
| sort asc agent_hostname, asc rn
---
// source: adapted from public hunting query (beacon interval)
dataset = xdr_data
| filter event_type = ENUM.NETWORK and action_external_hostname != null
| bin _time span = 5m
| comp count() as conns by agent_hostname, action_external_hostname, _time
| comp count() as active_bins, avg(conns) as avg_conns, var(conns) as conn_var by agent_hostname, action_external_hostname
| filter active_bins > 200 and conn_var < 1
---
// source: adapted from public hunting query (endpoints inventory)
dataset = endpoints
| filter endpoint_status = ENUM.CONNECTED
| alter os = lowercase(operating_system), first_ip = arrayindex(ip_address, 0)
| top 20 os
---
// source: adapted from public hunting query (merge lists of hosts)
dataset = xdr_data
| comp values(agent_hostname) as hosts by action_process_image_sha256
| alter host_count = array_length(hosts), host_list = arraystring(arraydistinct(hosts), ",")
| filter host_count > 10
| sort desc host_count
---
// source: adapted from public hunting query (ransomware-like rename bursts)
preset = xdr_file
| filter event_sub_type = ENUM.FILE_RENAME
| bin _time span = 1m
| comp count() as renames, count_distinct(action_file_extension) as exts by agent_hostname, actor_process_image_name, _time
| filter renames > 200
| sort desc renames
---
// source: adapted from public hunting query (replacenull then comp)
dataset = panw_ngfw_traffic_raw
| replacenull source_user = "unauthenticated"
| comp sum(bytes_received) as downloaded by source_user
| sort desc downloaded
| limit 10
---
// source: adapted from public hunting query (multiple comments in query)
/* Hunt: browsers spawning shells
   MITRE T1189 */
dataset = xdr_data // endpoint telemetry
| filter event_type = ENUM.PROCESS // process events
  and actor_process_image_name in ("chrome.exe", "msedge.exe", "firefox.exe")
  and action_process_image_name in ("cmd.exe", "powershell.exe") /* shells only */
| fields _time, agent_hostname, action_process_image_command_line
---
// source: adapted from Cortex XDR XQL Language Reference - json_extract / to_number functions
dataset = cloud_audit_logs
| alter identity = json_extract(raw_log, "$.userIdentity"), session = json_extract(raw_log, "$.userIdentity.sessionContext")
| alter mfa_age = to_number(json_extract_scalar(session, "$.attributes.mfaAuthenticated"))
| fields operation_name, identity, mfa_age
---
// source: adapted from Cortex XDR XQL Language Reference - incidr function (alter and filter)
dataset = panw_ngfw_traffic_raw
| alter src_internal = incidr(source_ip, "10.0.0.0/8"), dst_internal = incidr(dest_ip, "10.0.0.0/8")
| filter src_internal = true and dst_internal = false
| comp list(dest_port) as ports, first(app) as first_app, last(app) as last_app by source_ip
---
// source: adapted from Cortex XDR XQL Language Reference - arraycreate / floor functions
dataset = xdr_data
| filter event_type = ENUM.NETWORK
| alter ports = arraycreate(action_local_port, action_remote_port), kb_up = floor(divide(action_upload, 1024))
| alter port_pair = arraystring(ports, "->")
| comp count() as n, sum(kb_up) as kb by port_pair
---
// source: adapted from Cortex XDR XQL Language Reference - list / first / last functions
dataset = xdr_data
| filter event_type = ENUM.EVENT_LOG and action_evtlog_event_id in (4624, 4634)
| sort asc _time
| comp first(_time) as session_start, last(_time) as session_end, list(action_evtlog_event_id) as ids by actor_effective_username, agent_hostname
| alter minutes = timestamp_diff(session_end, session_start, "MINUTE")
---
// source: BIOC example - Cortex XDR exam sample (double extension executable)
dataset = xdr_data
| filter event_type = ENUM.PROCESS and event_sub_type = ENUM.PROCESS_START
  and action_process_image_name ~= ".*?\.(?:pdf|docx)\.exe"
---
// source: adapted from public BIOC rule (encoded PowerShell)
dataset = xdr_data
| filter event_type = ENUM.PROCESS and event_sub_type = ENUM.PROCESS_START
  and action_process_image_name in ("powershell.exe", "pwsh.exe")
  and action_process_image_command_line ~= "(?i)\s-e(c|nc|nco|ncod|ncode|ncoded|ncodedc|ncodedco|ncodedcom|ncodedcomm|ncodedcomma|ncodedcommand)?\s+[A-Za-z0-9+/=]{40,}"
---
// source: adapted from public BIOC rule (PowerShell download cradle)
dataset = xdr_data
| filter event_type = ENUM.PROCESS and event_sub_type = ENUM.PROCESS_START
  and action_process_image_name = "powershell.exe"
  and (action_process_image_command_line contains "DownloadString" or action_process_image_command_line contains "DownloadFile"
       or action_process_image_command_line contains "Invoke-WebRequest" or action_process_image_command_line contains "Net.WebClient")
---
// source: adapted from public BIOC rule (hidden PowerShell with execution policy bypass)
preset = xdr_process
| filter event_type = ENUM.PROCESS
  and lowercase(action_process_image_command_line) contains "-executionpolicy bypass"
  and lowercase(action_process_image_command_line) contains "-windowstyle hidden"
---
// source: adapted from public BIOC rule (AMSI bypass strings)
dataset = xdr_data
| filter event_type = ENUM.PROCESS and action_process_image_name = "powershell.exe"
  and (action_process_image_command_line contains "AmsiUtils" or action_process_image_command_line contains "amsiInitFailed")
---
// source: adapted from public BIOC rule (Defender tampering via PowerShell)
dataset = xdr_data
| alter cmd = lowercase(action_process_image_command_line)
| filter event_type = ENUM.PROCESS and event_sub_type = ENUM.PROCESS_START
  and cmd contains "set-mppreference" and (cmd contains "disablerealtimemonitoring" or cmd contains "exclusionpath")
---
// source: adapted from public BIOC rule (certutil decode)
dataset = xdr_data
| filter event_type = ENUM.PROCESS and event_sub_type = ENUM.PROCESS_START
  and action_process_image_name = "certutil.exe"
  and (action_process_image_command_line contains "-decode" or action_process_image_command_line contains "-decodehex")
---
// source: adapted from public BIOC rule (certutil download with split)
preset = xdr_process
| filter event_type = ENUM.PROCESS and action_process_image_name = "certutil.exe"
  and action_process_image_command_line contains "-split" and action_process_image_command_line contains "http"
---
// source: adapted from public BIOC rule (mshta inline script)
dataset = xdr_data
| filter event_type = ENUM.PROCESS and event_sub_type = ENUM.PROCESS_START
  and action_process_image_name = "mshta.exe"
  and action_process_image_command_line ~= "(?i)(vbscript|javascript):"
---
// source: adapted from public BIOC rule (regsvr32 Squiblydoo)
dataset = xdr_data
| filter event_type = ENUM.PROCESS and event_sub_type = ENUM.PROCESS_START
  and action_process_image_name = "regsvr32.exe"
  and action_process_image_command_line contains "scrobj.dll"
---
// source: adapted from public BIOC rule (rundll32 javascript)
dataset = xdr_data
| filter event_type = ENUM.PROCESS and event_sub_type = ENUM.PROCESS_START
  and action_process_image_name = "rundll32.exe"
  and action_process_image_command_line contains "javascript:" and action_process_image_command_line contains "RunHTMLApplication"
---
// source: adapted from public BIOC rule (LSASS dump via comsvcs MiniDump)
dataset = xdr_data
| filter event_type = ENUM.PROCESS and event_sub_type = ENUM.PROCESS_START
  and action_process_image_name = "rundll32.exe"
  and lowercase(action_process_image_command_line) contains "comsvcs"
  and lowercase(action_process_image_command_line) contains "minidump"
---
// source: adapted from public BIOC rule (procdump against lsass)
preset = xdr_process
| filter event_type = ENUM.PROCESS
  and action_process_image_name in ("procdump.exe", "procdump64.exe")
  and action_process_image_command_line ~= "(?i)-ma\s+.*lsass"
---
// source: adapted from public BIOC rule (remote WMI process creation)
dataset = xdr_data
| filter event_type = ENUM.PROCESS and event_sub_type = ENUM.PROCESS_START
  and action_process_image_name = "wmic.exe"
  and action_process_image_command_line contains "/node:" and action_process_image_command_line contains "create"
---
// source: adapted from public BIOC rule (scheduled task at logon)
dataset = xdr_data
| filter event_type = ENUM.PROCESS and event_sub_type = ENUM.PROCESS_START
  and action_process_image_name = "schtasks.exe"
  and action_process_image_command_line contains "/create"
  and action_process_image_command_line ~= "(?i)/sc\s+(onlogon|onstart)"
---
// source: adapted from public BIOC rule (service creation with binPath in user folder)
dataset = xdr_data
| filter event_type = ENUM.PROCESS and event_sub_type = ENUM.PROCESS_START
  and action_process_image_name = "sc.exe"
  and action_process_image_command_line contains "create"
  and action_process_image_command_line ~= "(?i)binpath=\s*\"?[a-z]:\\\\users\\\\"
---
// source: adapted from public BIOC rule (local user creation)
dataset = xdr_data
| filter event_type = ENUM.PROCESS and event_sub_type = ENUM.PROCESS_START
  and action_process_image_name in ("net.exe", "net1.exe")
  and action_process_image_command_line contains " user " and action_process_image_command_line contains "/add"
---
// source: adapted from public BIOC rule (add to local administrators)
dataset = xdr_data
| alter cmd = lowercase(action_process_image_command_line)
| filter event_type = ENUM.PROCESS and action_process_image_name in ("net.exe", "net1.exe")
  and cmd contains "localgroup administrators" and cmd contains "/add"
---
// source: adapted from public BIOC rule (web shell reconnaissance from IIS)
dataset = xdr_data
| filter event_type = ENUM.PROCESS and event_sub_type = ENUM.PROCESS_START
  and actor_process_image_name = "w3wp.exe"
  and action_process_image_name in ("whoami.exe", "net.exe", "ipconfig.exe", "systeminfo.exe", "nltest.exe")
---
// source: adapted from public BIOC rule (shell spawned by SQL Server)
preset = xdr_process
| filter event_type = ENUM.PROCESS
  and actor_process_image_name = "sqlservr.exe"
  and action_process_image_name in ("cmd.exe", "powershell.exe")
---
// source: adapted from public BIOC rule (Excel spawning rundll32 / regsvr32)
dataset = xdr_data
| filter event_type = ENUM.PROCESS and event_sub_type = ENUM.PROCESS_START
  and lowercase(actor_process_image_name) = "excel.exe"
  and action_process_image_name in ("rundll32.exe", "regsvr32.exe")
---
// source: adapted from public BIOC rule (script host running from Temp)
dataset = xdr_data
| filter event_type = ENUM.PROCESS and event_sub_type = ENUM.PROCESS_START
  and action_process_image_name in ("wscript.exe", "cscript.exe")
  and action_process_image_command_line ~= "(?i)\\\\(appdata\\\\local\\\\temp|downloads)\\\\.+\.(js|jse|vbs|vbe|wsf)"
---
// source: adapted from public BIOC rule (bitsadmin job with addfile)
dataset = xdr_data
| filter event_type = ENUM.PROCESS and action_process_image_name = "bitsadmin.exe"
  and action_process_image_command_line contains "/addfile" and action_process_image_command_line contains "http"
---
// source: adapted from public BIOC rule (msiexec remote package)
dataset = xdr_data
| filter event_type = ENUM.PROCESS and event_sub_type = ENUM.PROCESS_START
  and action_process_image_name = "msiexec.exe"
  and action_process_image_command_line ~= "(?i)/(i|package)\s+https?://"
  and action_process_image_command_line contains "/q"
---
// source: adapted from public BIOC rule (odbcconf REGSVR)
dataset = xdr_data
| filter event_type = ENUM.PROCESS and action_process_image_name = "odbcconf.exe"
  and lowercase(action_process_image_command_line) contains "regsvr"
---
// source: adapted from public BIOC rule (NTDS.dit copy with esentutl)
dataset = xdr_data
| filter event_type = ENUM.PROCESS and event_sub_type = ENUM.PROCESS_START
  and action_process_image_name = "esentutl.exe"
  and lowercase(action_process_image_command_line) contains "ntds.dit"
---
// source: adapted from public BIOC rule (ntdsutil IFM)
dataset = xdr_data
| filter event_type = ENUM.PROCESS and action_process_image_name = "ntdsutil.exe"
  and lowercase(action_process_image_command_line) contains "ifm"
  and lowercase(action_process_image_command_line) contains "create full"
---
// source: adapted from public BIOC rule (registry hive save)
dataset = xdr_data
| alter cmd = lowercase(action_process_image_command_line)
| filter event_type = ENUM.PROCESS and action_process_image_name = "reg.exe"
  and cmd contains "save" and (cmd contains "hklm\\sam" or cmd contains "hklm\\security" or cmd contains "hklm\\system")
---
// source: adapted from public BIOC rule (event log clearing)
dataset = xdr_data
| filter event_type = ENUM.PROCESS and event_sub_type = ENUM.PROCESS_START
  and action_process_image_name = "wevtutil.exe"
  and action_process_image_command_line ~= "(?i)\s(cl|clear-log)\s"
---
// source: adapted from public BIOC rule (USN journal deletion)
dataset = xdr_data
| filter event_type = ENUM.PROCESS and action_process_image_name = "fsutil.exe"
  and lowercase(action_process_image_command_line) contains "usn deletejournal"
---
// source: adapted from public BIOC rule (boot configuration tampering)
dataset = xdr_data
| alter cmd = lowercase(action_process_image_command_line)
| filter event_type = ENUM.PROCESS and action_process_image_name = "bcdedit.exe"
  and (cmd contains "safeboot" or cmd contains "bootstatuspolicy ignoreallfailures")
---
// source: adapted from public BIOC rule (firewall disabled with netsh)
dataset = xdr_data
| filter event_type = ENUM.PROCESS and action_process_image_name = "netsh.exe"
  and lowercase(action_process_image_command_line) contains "advfirewall"
  and lowercase(action_process_image_command_line) contains "state off"
---
// source: adapted from public BIOC rule (netsh port proxy)
preset = xdr_process
| filter event_type = ENUM.PROCESS and action_process_image_name = "netsh.exe"
  and action_process_image_command_line contains "portproxy" and action_process_image_command_line contains "add"
---
// source: adapted from public BIOC rule (hidden system attribute on executables)
dataset = xdr_data
| filter event_type = ENUM.PROCESS and action_process_image_name = "attrib.exe"
  and action_process_image_command_line contains "+h" and action_process_image_command_line contains "+s"
  and action_process_image_command_line ~= "(?i)\.(exe|dll|ps1)"
---
// source: adapted from public BIOC rule (icacls grants Everyone full control)
dataset = xdr_data
| filter event_type = ENUM.PROCESS and action_process_image_name = "icacls.exe"
  and action_process_image_command_line ~= "(?i)everyone:\(?(oi\)\(ci\))?f"
---
// source: adapted from public BIOC rule (shadow copy creation for credential theft)
dataset = xdr_data
| filter event_type = ENUM.PROCESS and action_process_image_name = "vssadmin.exe"
  and lowercase(action_process_image_command_line) contains "create shadow"
  and actor_process_image_name not in ("svchost.exe", "wbengine.exe")
---
// source: adapted from public BIOC rule (Run key persistence with script interpreter)
dataset = xdr_data
| filter event_type = ENUM.REGISTRY and event_sub_type = ENUM.REGISTRY_SET_VALUE
  and action_registry_key_name ~= "(?i)\\\\software\\\\microsoft\\\\windows\\\\currentversion\\\\run(once)?$"
  and action_registry_data ~= "(?i)(powershell|mshta|wscript|cscript|rundll32)"
---
// source: adapted from public BIOC rule (Run key pointing to user-writable path)
preset = xdr_registry
| filter event_type = ENUM.REGISTRY and action_registry_key_name contains "\\CurrentVersion\\Run"
  and (lowercase(action_registry_data) contains "\\appdata\\" or lowercase(action_registry_data) contains "\\users\\public\\")
---
// source: adapted from public BIOC rule (IFEO debugger hijack)
dataset = xdr_data
| filter event_type = ENUM.REGISTRY and event_sub_type = ENUM.REGISTRY_SET_VALUE
  and action_registry_key_name contains "\\Image File Execution Options\\"
  and action_registry_value_name = "Debugger"
---
// source: adapted from public BIOC rule (accessibility features backdoor)
dataset = xdr_data
| filter event_type = ENUM.REGISTRY and action_registry_value_name = "Debugger"
  and action_registry_key_name ~= "(?i)(sethc|utilman|osk|narrator|magnify)\.exe$"
---
// source: adapted from public BIOC rule (Winlogon shell modification)
dataset = xdr_data
| filter event_type = ENUM.REGISTRY and event_sub_type = ENUM.REGISTRY_SET_VALUE
  and action_registry_key_name contains "\\Windows NT\\CurrentVersion\\Winlogon"
  and action_registry_value_name in ("Shell", "Userinit")
  and lowercase(action_registry_data) not in ("explorer.exe", "c:\\windows\\system32\\userinit.exe,")
---
// source: adapted from public BIOC rule (AppInit_DLLs)
dataset = xdr_data
| filter event_type = ENUM.REGISTRY and action_registry_value_name = "AppInit_DLLs"
  and action_registry_data != ""
---
// source: adapted from public BIOC rule (Defender disabled via registry)
dataset = xdr_data
| filter event_type = ENUM.REGISTRY and event_sub_type = ENUM.REGISTRY_SET_VALUE
  and action_registry_key_name contains "\\Policies\\Microsoft\\Windows Defender"
  and action_registry_value_name in ("DisableAntiSpyware", "DisableRealtimeMonitoring")
  and action_registry_data = "1"
---
// source: adapted from public BIOC rule (fodhelper UAC bypass)
dataset = xdr_data
| filter event_type = ENUM.REGISTRY
  and action_registry_key_name ~= "(?i)\\\\software\\\\classes\\\\ms-settings\\\\shell\\\\open\\\\command"
  and actor_process_image_name != "explorer.exe"
---
// source: adapted from public BIOC rule (eventvwr UAC bypass)
preset = xdr_registry
| filter event_type = ENUM.REGISTRY
  and lowercase(action_registry_key_name) contains "\\software\\classes\\mscfile\\shell\\open\\command"
---
// source: adapted from public BIOC rule (RDP enabled via registry)
dataset = xdr_data
| filter event_type = ENUM.REGISTRY and event_sub_type = ENUM.REGISTRY_SET_VALUE
  and action_registry_key_name contains "\\Control\\Terminal Server"
  and action_registry_value_name = "fDenyTSConnections" and action_registry_data = "0"
---
// source: adapted from public BIOC rule (WDigest plaintext credentials)
dataset = xdr_data
| filter event_type = ENUM.REGISTRY
  and action_registry_key_name contains "\\Control\\SecurityProviders\\WDigest"
  and action_registry_value_name = "UseLogonCredential" and action_registry_data = "1"
---
// source: adapted from public BIOC rule (COM hijack in HKCU InprocServer32)
dataset = xdr_data
| alter key = lowercase(action_registry_key_name)
| filter event_type = ENUM.REGISTRY and event_sub_type = ENUM.REGISTRY_CREATE_KEY
  and key contains "\\software\\classes\\clsid\\" and key contains "\\inprocserver32"
  and key not contains "\\wow6432node\\"
---
// source: adapted from public BIOC rule (service ImagePath changed)
dataset = xdr_data
| filter event_type = ENUM.REGISTRY and event_sub_type = ENUM.REGISTRY_SET_VALUE
  and action_registry_key_name contains "\\CurrentControlSet\\Services\\"
  and action_registry_value_name = "ImagePath"
  and actor_process_image_name not in ("services.exe", "msiexec.exe", "TrustedInstaller.exe")
---
// source: adapted from public BIOC rule (executable dropped in Users\Public)
dataset = xdr_data
| filter event_type = ENUM.FILE and event_sub_type in (ENUM.FILE_CREATE_NEW, ENUM.FILE_WRITE)
  and action_file_path contains "\\Users\\Public\\"
  and action_file_extension in ("exe", "dll", "scr", "bat", "ps1")
---
// source: adapted from public BIOC rule (executable written to Startup folder)
preset = xdr_file
| filter event_type = ENUM.FILE and event_sub_type = ENUM.FILE_CREATE_NEW
  and action_file_path ~= "(?i)\\\\start menu\\\\programs\\\\startup\\\\.+\.(exe|scr|bat|cmd)$"
---
// source: adapted from public BIOC rule (ransom note creation)
dataset = xdr_data
| filter event_type = ENUM.FILE and event_sub_type = ENUM.FILE_CREATE_NEW
  and action_file_name ~= "(?i)^(readme|how_to_decrypt|restore_files|!!!_read_me).*\.(txt|hta|html)$"
---
// source: adapted from public BIOC rule (encrypted-extension rename)
dataset = xdr_data
| filter event_type = ENUM.FILE and event_sub_type = ENUM.FILE_RENAME
  and action_file_extension in ("locked", "encrypted", "crypt", "lockbit", "ryk")
---
// source: adapted from public BIOC rule (LSASS dump file written)
dataset = xdr_data
| filter event_type = ENUM.FILE and event_sub_type = ENUM.FILE_WRITE
  and lowercase(action_file_name) contains "lsass" and action_file_extension = "dmp"
---
// source: adapted from public BIOC rule (web shell dropped by IIS worker)
dataset = xdr_data
| filter event_type = ENUM.FILE and event_sub_type in (ENUM.FILE_CREATE_NEW, ENUM.FILE_WRITE)
  and actor_process_image_name = "w3wp.exe"
  and action_file_extension in ("aspx", "ashx", "asmx", "jsp")
---
// source: adapted from public BIOC rule (scheduled task file created)
dataset = xdr_data
| alter path = lowercase(action_file_path)
| filter event_type = ENUM.FILE and event_sub_type = ENUM.FILE_CREATE_NEW
  and path contains "\\windows\\system32\\tasks\\"
  and actor_process_image_name not in ("svchost.exe", "taskeng.exe")
---
// source: adapted from public BIOC rule (Office document writing executable)
preset = xdr_file
| filter event_type = ENUM.FILE and event_sub_type = ENUM.FILE_WRITE
  and actor_process_image_name in ("winword.exe", "excel.exe", "powerpnt.exe")
  and action_file_extension in ("exe", "dll", "js", "vbs", "hta")
---
// source: adapted from public BIOC rule (rundll32 external connection)
dataset = xdr_data
| filter event_type = ENUM.NETWORK and event_sub_type = ENUM.NETWORK_STREAM_CONNECT
  and actor_process_image_name = "rundll32.exe"
  and action_remote_ip not incidr "10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 127.0.0.0/8"
---
// source: adapted from public BIOC rule (regsvr32 network connection)
preset = xdr_network
| filter event_type = ENUM.NETWORK and actor_process_image_name = "regsvr32.exe"
  and action_remote_port in (80, 443)
---
// source: adapted from public BIOC rule (outbound SMB to the internet)
dataset = xdr_data
| filter event_type = ENUM.NETWORK and action_remote_port = 445
  and not (action_remote_ip incidr "10.0.0.0/8" or action_remote_ip incidr "172.16.0.0/12" or action_remote_ip incidr "192.168.0.0/16")
---
// source: adapted from public BIOC rule (notepad making network connections)
dataset = xdr_data
| filter event_type = ENUM.NETWORK and actor_process_image_name in ("notepad.exe", "calc.exe", "mspaint.exe")
  and action_remote_ip != null
---
// source: adapted from public BIOC rule (Tor client ports)
dataset = xdr_data
| filter event_type = ENUM.NETWORK and action_remote_port in (9001, 9030, 9050, 9150)
  and actor_process_signature_status != ENUM.SIGNED
---
// source: adapted from public BIOC rule (mshta / certutil reaching out)
dataset = xdr_data
| filter event_type = ENUM.NETWORK
  and actor_process_image_name in ("mshta.exe", "certutil.exe", "bitsadmin.exe", "msiexec.exe")
  and action_remote_ip not incidr "10.0.0.0/8"
---
// source: adapted from public BIOC rule (PowerShell to non-standard high port)
dataset = xdr_data
| filter event_type = ENUM.NETWORK and actor_process_image_name in ("powershell.exe", "pwsh.exe")
  and action_remote_port > 1024 and action_remote_port not in (5985, 5986, 8080, 8443)
---
// source: adapted from public BIOC rule (Linux reverse shell via /dev/tcp)
dataset = xdr_data
| filter event_type = ENUM.PROCESS and agent_os_type = ENUM.AGENT_OS_LINUX
  and action_process_image_name in ("bash", "sh", "zsh")
  and action_process_image_command_line ~= "/dev/(tcp|udp)/[0-9.]+/[0-9]+"
---
// source: adapted from public BIOC rule (curl or wget piped to shell)
dataset = xdr_data
| filter event_type = ENUM.PROCESS and agent_os_type = ENUM.AGENT_OS_LINUX
  and action_process_image_command_line ~= "(curl|wget)\s+[^|]+\|\s*(ba)?sh"
---
// source: adapted from public BIOC rule (chmod +x in /tmp)
preset = xdr_process
| filter event_type = ENUM.PROCESS and action_process_image_name = "chmod"
  and action_process_image_command_line contains "+x"
  and (action_process_image_command_line contains "/tmp/" or action_process_image_command_line contains "/dev/shm/")
---
// source: adapted from public BIOC rule (crontab persistence)
dataset = xdr_data
| filter event_type = ENUM.FILE and agent_os_type = ENUM.AGENT_OS_LINUX
  and event_sub_type in (ENUM.FILE_WRITE, ENUM.FILE_CREATE_NEW)
  and (action_file_path contains "/etc/cron" or action_file_path contains "/var/spool/cron/")
  and actor_process_image_name not in ("crontab", "dpkg", "rpm", "yum", "apt")
---
// source: adapted from public BIOC rule (shell history cleared)
dataset = xdr_data
| filter event_type = ENUM.PROCESS and agent_os_type = ENUM.AGENT_OS_LINUX
  and (action_process_image_command_line contains "history -c" or action_process_image_command_line contains "unset HISTFILE"
       or action_process_image_command_line ~= "rm\s+(-f\s+)?~?/?.*\.bash_history")
---
// source: adapted from public BIOC rule (macOS osascript credential prompt)
dataset = xdr_data
| filter event_type = ENUM.PROCESS and agent_os_type = ENUM.AGENT_OS_MAC
  and action_process_image_name = "osascript"
  and action_process_image_command_line contains "display dialog"
  and lowercase(action_process_image_command_line) contains "password"
---
// source: adapted from public BIOC rule (alter then filter, normalised image name)
dataset = xdr_data
| alter image = lowercase(action_process_image_name), parent = lowercase(actor_process_image_name)
| filter event_type = ENUM.PROCESS and parent = "services.exe" and image in ("cmd.exe", "powershell.exe")
  and action_process_image_command_line contains "\\\\.\\pipe\\"
---
// source: adapted from public BIOC rule (signed binary proxy from unusual parent, case-insensitive)
config case_sensitive = false
| dataset = xdr_data
| filter event_type = ENUM.PROCESS and action_process_image_name = "InstallUtil.exe"
  and actor_process_image_name not in ("msiexec.exe", "devenv.exe")
---
// source: adapted from public BIOC rule (cloud audit BIOC - IAM access key creation)
dataset = cloud_audit_logs
| filter event_type = ENUM.CLOUD_AUDIT_LOG and operation_name = "CreateAccessKey"
  and identity_type = "Root"
---
// source: adapted from public BIOC rule (BIOC with alter-derived field)
preset = xdr_process
| alter cmd_len = len(action_process_image_command_line), cmd = uppercase(action_process_image_command_line)
| filter event_type = ENUM.PROCESS and action_process_image_name = "cmd.exe" and cmd_len > 2000
  and cmd contains "SET "
---
// source: adapted from public BIOC rule (obfuscated command with string_count)
dataset = xdr_data
| alter carets = string_count(action_process_image_command_line, "^")
| filter event_type = ENUM.PROCESS and action_process_image_name = "cmd.exe" and carets >= 10
---
// source: adapted from public BIOC rule (process run from recycle bin)
dataset = xdr_data
| filter event_type = ENUM.PROCESS and event_sub_type = ENUM.PROCESS_START
  and lowercase(action_process_image_path) contains "\\$recycle.bin\\"
---
// source: adapted from public BIOC rule (svchost with wrong parent)
dataset = xdr_data
| filter event_type = ENUM.PROCESS and event_sub_type = ENUM.PROCESS_START
  and action_process_image_name = "svchost.exe"
  and actor_process_image_name not in ("services.exe", "MsMpEng.exe", "svchost.exe")
---
// source: adapted from public BIOC rule (masquerading system binary outside System32)
dataset = xdr_data
| alter path = lowercase(action_process_image_path)
| filter event_type = ENUM.PROCESS
  and lowercase(action_process_image_name) in ("lsass.exe", "csrss.exe", "winlogon.exe", "smss.exe")
  and path not contains "c:\\windows\\system32\\"
---
// source: adapted from public BIOC rule (DNS query to dynamic DNS provider)
dataset = xdr_data
| filter event_type = ENUM.NETWORK and dns_query_name ~= "(?i)\.(duckdns\.org|ddns\.net|hopto\.org|serveo\.net)$"
---
// source: adapted from public BIOC rule (nltest domain trust discovery)
dataset = xdr_data
| filter event_type = ENUM.PROCESS and action_process_image_name = "nltest.exe"
  and (action_process_image_command_line contains "/domain_trusts" or action_process_image_command_line contains "/dclist")
---
// source: adapted from public BIOC rule (AdFind reconnaissance)
dataset = xdr_data
| filter event_type = ENUM.PROCESS
  and (action_process_image_name = "adfind.exe" or action_process_image_command_line contains "objectcategory=computer")
---
// source: adapted from public BIOC rule (Mimikatz command keywords, triple-quoted)
dataset = xdr_data
| filter event_type = ENUM.PROCESS
  and (action_process_image_command_line contains """sekurlsa::""" or action_process_image_command_line contains """lsadump::dcsync""")
