// Language structure examples
dataset = xdr_data | limit 5
---
dataset = xdr_data | fields action_file_name, action_file_path | limit 10
---
dataset = xdr_data
| fields os_actor_process_file_size as osapfs
| filter to_string(osapfs) = "12345"
---
cold_dataset = xdr_data | filter event_type = ENUM.PROCESS | limit 100
---
preset = xdr_process | filter action_process_image_name = "powershell.exe" | fields agent_hostname, action_process_image_command_line
---
dataset in (xdr_data, cloud_audit_logs) | filter _time > to_timestamp(1700000000000, "MILLIS") | limit 20
---
config case_sensitive = false | dataset = xdr_data | filter action_process_image_name = "POWERSHELL.EXE"
---
config case_sensitive = false timeframe = 7d | dataset = xdr_data | filter event_type = ENUM.FILE | comp count() by action_file_extension
---
datamodel dataset = xdr_data | filter xdm.source.ipv4 incidr "10.0.0.0/8" | fields xdm.source.ipv4, xdm.target.port
---
datamodel | filter xdm.event.type = "PROCESS_START" | fields xdm.source.host.hostname
---
filter event_type = ENUM.NETWORK | limit 10
---
// filter stage
dataset = xdr_data | filter agent_os_type = ENUM.AGENT_OS_WINDOWS and event_type = ENUM.PROCESS
---
dataset = xdr_data | filter action_local_port = 443 or action_remote_port = 443
---
dataset = xdr_data | filter action_file_name contains "mimikatz"
---
dataset = xdr_data | filter action_file_name not contains ".tmp"
---
dataset = xdr_data | filter action_process_image_name in ("cmd.exe", "powershell.exe", "wscript.exe", "cscript.exe")
---
dataset = xdr_data | filter action_process_image_name not in ("explorer.exe", "svchost.exe")
---
dataset = xdr_data | filter action_remote_ip incidr "192.168.0.0/16"
---
dataset = xdr_data | filter action_remote_ip not incidr "10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16"
---
dataset = xdr_data | filter action_remote_ip incidr6 "2001:db8::/32"
---
dataset = xdr_data | filter action_remote_ip not incidr6 "fe80::/10"
---
dataset = xdr_data | filter action_process_image_command_line ~= "(?i)-e(nc|ncodedcommand)?\s+[a-z0-9+/=]{20,}"
---
dataset = xdr_data | filter dns_query_name ~= "^[a-z0-9]{32}\.(com|net)$"
---
dataset = xdr_data | filter action_file_size > 10485760 and action_file_size <= 104857600
---
dataset = xdr_data | filter actor_process_image_name = "*office*" and action_process_image_name = "cmd*"
---
dataset = xdr_data | filter action_file_name = null
---
dataset = xdr_data | filter action_file_name != null and action_file_extension != "exe"
---
dataset = xdr_data | filter not (action_remote_port in (80, 443, 8080))
---
dataset = xdr_data | filter (action_remote_port = 4444 or action_remote_port = 1337) and action_remote_ip != "127.0.0.1"
---
dataset = xdr_data | filter action_evtlog_event_id = 4624 and action_evtlog_message contains "Logon Type:\t10"
---
dataset = xdr_data | filter lowercase(action_file_path) contains "\\appdata\\roaming\\"
---
dataset = xdr_data | filter len(dns_query_name) > 60
---
dataset = xdr_data | filter arrayindex(split(dns_query_name, "."), -1) = "xyz"
---
dataset = xdr_data | filter json_extract_scalar(action_evtlog_data_fields, "$.TargetUserName") = "Administrator"
---
dataset = xdr_data | filter action_evtlog_data_fields->TargetUserName = "krbtgt"
---
dataset = xdr_data | filter action_evtlog_data_fields->["Service Name"] contains "PSEXESVC"
---
dataset = xdr_data | filter _product = "XDR agent" and _vendor = "PANW"
---
dataset = xdr_data | filter extract_time(_time, "HOUR") < 6 or extract_time(_time, "HOUR") > 22
---
dataset = xdr_data | filter timestamp_diff(current_time(), _time, "DAY") <= 1
---
// alter stage
dataset = xdr_data | alter file_lower = lowercase(action_file_name)
---
dataset = xdr_data | alter full = concat(agent_hostname, "\\", action_file_name), ext = uppercase(action_file_extension)
---
dataset = xdr_data | alter size_mb = divide(action_file_size, 1048576) | filter size_mb > 100
---
dataset = xdr_data | alter user = coalesce(actor_effective_username, actor_primary_username, "unknown")
---
dataset = xdr_data | alter risky = if(action_remote_port in (22, 3389), true, false) | filter risky = true
---
dataset = xdr_data | alter port_text = to_string(action_remote_port), port_num = to_integer(port_text)
---
dataset = xdr_data | alter score = to_number("0.75") * 100
---
dataset = xdr_data | alter domain_parts = split(dns_query_name, ".") | alter tld = arrayindex(domain_parts, -1)
---
dataset = xdr_data | alter b64 = regextract(action_process_image_command_line, "-enc(?:odedcommand)?\s+([A-Za-z0-9+/=]+)")
---
dataset = xdr_data | alter clean = trim(action_process_image_command_line), l = ltrim(agent_hostname, "0"), r = rtrim(action_file_path, "\\")
---
dataset = xdr_data | alter path = replace(action_file_path, "C:\\Users\\", "%USERPROFILE%\\")
---
dataset = xdr_data | alter hour = extract_time(_time, "HOUR"), day = extract_time(_time, "DAYOFWEEK")
---
dataset = xdr_data | alter groups = json_extract(action_evtlog_data_fields, "$.Groups"), name = json_extract_scalar(action_evtlog_data_fields, "$.TargetUserName")
---
dataset = xdr_data | alter is_internal = incidr(action_remote_ip, "10.0.0.0/8")
---
dataset = xdr_data | alter ts = format_timestamp("%Y-%m-%d %H:%M:%S", _time)
---
dataset = xdr_data | alter n = array_length(json_extract_array(action_evtlog_data_fields, "$.Privileges"))
---
dataset = xdr_data | alter joined = arraystring(arraycreate("a", "b", "c"), ";")
---
dataset = xdr_data | alter x = add(1, 2), y = subtract(10, 4), z = multiply(3, 3), w = pow(2, 10), r = round(3.6), f = floor(3.6)
---
dataset = xdr_data | alter count_dots = string_count(dns_query_name, ".")
---
dataset = xdr_data | alter neg = -action_file_size, mod = action_remote_port % 1000
---
// fields stage
dataset = xdr_data | fields agent_hostname, actor_process_image_name as parent, action_process_image_name as child
---
dataset = xdr_data | fields - action_file_sha256, action_file_md5
---
dataset = xdr_data | fields _time, agent_id, event_type, event_sub_type | limit 100
---
// comp stage
dataset = xdr_data | comp count() as total by agent_hostname
---
dataset = xdr_data | filter event_type = ENUM.NETWORK | comp sum(action_total_upload) as up, sum(action_total_download) as down by agent_hostname
---
dataset = xdr_data | comp count_distinct(action_remote_ip) as peers by actor_process_image_name | filter peers > 100
---
dataset = xdr_data | comp min(_time) as first_seen, max(_time) as last_seen by action_file_sha256
---
dataset = xdr_data | comp avg(action_file_size) as avg_size, median(action_file_size) as med by action_file_extension
---
dataset = xdr_data | comp values(action_process_image_name) as children by actor_process_image_name
---
dataset = xdr_data | comp earliest(_time) as start, latest(_time) as finish, count() as n by agent_id addrawdata = true as raw
---
dataset = xdr_data | comp list(dns_query_name) as queries, approx_count(dns_query_name) as n by agent_hostname
---
dataset = xdr_data | comp stddev(action_file_size) as sd, var(action_file_size) as v by action_file_extension
---
dataset = xdr_data | comp first(action_file_name) as f, last(action_file_name) as l by agent_id
---
// sort, limit, dedup
dataset = xdr_data | sort desc _time | limit 50
---
dataset = xdr_data | sort asc agent_hostname, desc _time
---
dataset = xdr_data | sort _time desc | limit 10
---
dataset = xdr_data | dedup agent_hostname
---
dataset = xdr_data | dedup agent_hostname, action_process_image_name by desc _time
---
dataset = xdr_data | dedup action_file_sha256 by asc _time | fields action_file_sha256, action_file_path
---
// join and union
dataset = xdr_data | filter event_type = ENUM.PROCESS | join type = left (dataset = endpoints | fields endpoint_name, endpoint_status) as ep ep.endpoint_name = agent_hostname
---
dataset = xdr_data | join type = inner conflict_strategy = both (dataset = xdr_data | filter event_type = ENUM.NETWORK | fields agent_id, action_remote_ip) as net net.agent_id = agent_id
---
dataset = xdr_data | join (dataset = host_inventory | fields host_name, ip) as inv inv.host_name = agent_hostname | fields agent_hostname, inv.ip
---
dataset = xdr_data | union (dataset = cloud_audit_logs | filter operation_name = "DeleteBucket")
---
dataset = xdr_data | filter event_type = ENUM.PROCESS | union panw_ngfw_traffic_raw
---
// windowcomp, arrayexpand, replacenull, bin, top, iploc
dataset = xdr_data | windowcomp count() by agent_hostname as events_per_host
---
dataset = xdr_data | windowcomp rank() by agent_hostname sort desc action_file_size as size_rank | filter size_rank <= 3
---
dataset = xdr_data | windowcomp row_number() by agent_id sort asc _time as n
---
dataset = xdr_data | windowcomp sum(action_total_upload) by agent_hostname sort asc _time between 0 and unbounded following as running
---
dataset = xdr_data | alter ips = split("1.1.1.1,8.8.8.8", ",") | arrayexpand ips
---
dataset = xdr_data | arrayexpand action_network_packet_data limit 5
---
dataset = xdr_data | replacenull action_file_name = "N/A"
---
dataset = xdr_data | replacenull actor_effective_username = "SYSTEM" | comp count() by actor_effective_username
---
dataset = xdr_data | bin _time span = 1h | comp count() as n by _time
---
dataset = xdr_data | bin _time span = 15m timeshift = 1700000000 | comp count() by _time
---
dataset = xdr_data | bin action_file_size bin_size = 1048576 | comp count() by action_file_size
---
dataset = xdr_data | top 10 action_process_image_name
---
dataset = xdr_data | top 5 action_remote_ip by actor_process_image_name
---
dataset = xdr_data | top action_file_extension top_count as n top_percent as pct
---
dataset = xdr_data | iploc action_remote_ip
---
dataset = xdr_data | iploc action_remote_ip loc_country as country, loc_city as city | filter country != "United States"
---
// call, target, view, getrole, tag, search, transaction
call "Suspicious PowerShell"
---
dataset = xdr_data | call "enrich hosts" host = agent_hostname
---
dataset = xdr_data | filter event_type = ENUM.PROCESS | target type = dataset process_copy
---
dataset = xdr_data | comp count() by agent_hostname | target type = lookup host_counts append = true
---
dataset = xdr_data | view highlight fields = action_file_name, action_file_path values = "evil.exe"
---
dataset = xdr_data | comp count() as n by action_file_extension | view graph type = pie xaxis = action_file_extension yaxis = n
---
dataset = xdr_data | comp count() as n by agent_hostname | view graph type = column subtype = grouped xaxis = agent_hostname yaxis = n
---
dataset = xdr_data | getrole actor_effective_username
---
dataset = xdr_data | filter event_type = ENUM.PROCESS | tag add "reviewed"
---
dataset = xdr_data | tag add "suspicious", "lateral-movement"
---
search "mimikatz"
---
dataset = xdr_data | search "sekurlsa::logonpasswords"
---
dataset = xdr_data | transaction agent_id, actor_process_instance_id span = 1h
---
dataset = xdr_data | transaction agent_hostname span = 30m maxevents = 100 | filter _transaction_duration > 60
---
/* multi-line,
   commented */
dataset = xdr_data // the default
| filter event_type = ENUM.FILE /* file events only */
| fields action_file_name
---
dataset = xdr_data | filter action_process_image_command_line contains """He said "hi" to C:\Users\x"""
---
dataset = xdr_data | filter action_file_name = 'single-quoted.exe'

---
// adapted from a LOLBin BIOC
dataset = xdr_data
| filter event_type = ENUM.PROCESS and event_sub_type = ENUM.PROCESS_START
  and action_process_image_name = "certutil.exe" and action_process_image_command_line contains "-urlcache"
---
// adapted from a LOLBin BIOC
dataset = xdr_data
| filter event_type = ENUM.PROCESS and event_sub_type = ENUM.PROCESS_START
  and action_process_image_name = "mshta.exe" and action_process_image_command_line contains "javascript:"
---
// adapted from a LOLBin BIOC
dataset = xdr_data
| filter event_type = ENUM.PROCESS and event_sub_type = ENUM.PROCESS_START
  and action_process_image_name = "regsvr32.exe" and action_process_image_command_line contains "/i:http"
---
// adapted from a LOLBin BIOC
dataset = xdr_data
| filter event_type = ENUM.PROCESS and event_sub_type = ENUM.PROCESS_START
  and action_process_image_name = "rundll32.exe" and action_process_image_command_line contains "shell32.dll,Control_RunDLL"
---
// adapted from a LOLBin BIOC
dataset = xdr_data
| filter event_type = ENUM.PROCESS and event_sub_type = ENUM.PROCESS_START
  and action_process_image_name = "wmic.exe" and action_process_image_command_line contains "process call create"
---
// adapted from a LOLBin BIOC
dataset = xdr_data
| filter event_type = ENUM.PROCESS and event_sub_type = ENUM.PROCESS_START
  and action_process_image_name = "bitsadmin.exe" and action_process_image_command_line contains "/transfer"
---
// adapted from a LOLBin BIOC
dataset = xdr_data
| filter event_type = ENUM.PROCESS and event_sub_type = ENUM.PROCESS_START
  and action_process_image_name = "msbuild.exe" and action_process_image_command_line contains ".xml"
---
// adapted from a LOLBin BIOC
dataset = xdr_data
| filter event_type = ENUM.PROCESS and event_sub_type = ENUM.PROCESS_START
  and action_process_image_name = "installutil.exe" and action_process_image_command_line contains "/logfile="
---
// adapted from a LOLBin BIOC
dataset = xdr_data
| filter event_type = ENUM.PROCESS and event_sub_type = ENUM.PROCESS_START
  and action_process_image_name = "cmstp.exe" and action_process_image_command_line contains "/ni /s"
---
// adapted from a LOLBin BIOC
dataset = xdr_data
| filter event_type = ENUM.PROCESS and event_sub_type = ENUM.PROCESS_START
  and action_process_image_name = "forfiles.exe" and action_process_image_command_line contains "/c"
---
dataset = xdr_data | filter event_type = ENUM.REGISTRY and action_registry_key_name contains "\\CurrentVersion\\Run" and actor_process_image_name not in ("msiexec.exe", "svchost.exe")
---
dataset = xdr_data | filter event_type = ENUM.REGISTRY and action_registry_key_name contains "\\CurrentVersion\\RunOnce" and actor_process_image_name not in ("msiexec.exe", "svchost.exe")
---
dataset = xdr_data | filter event_type = ENUM.REGISTRY and action_registry_key_name contains "\\Winlogon\\Userinit" and actor_process_image_name not in ("msiexec.exe", "svchost.exe")
---
dataset = xdr_data | filter event_type = ENUM.REGISTRY and action_registry_key_name contains "\\Image File Execution Options\\" and actor_process_image_name not in ("msiexec.exe", "svchost.exe")
---
dataset = xdr_data | filter event_type = ENUM.REGISTRY and action_registry_key_name contains "\\Services\\" and actor_process_image_name not in ("msiexec.exe", "svchost.exe")
---
// meterpreter
preset = xdr_network | filter action_remote_port = 4444 and action_remote_ip not incidr "10.0.0.0/8"
---
dataset = xdr_data | filter event_type = ENUM.NETWORK and action_remote_port = 4444 | alter outbound = if(action_network_is_ipv6 = true, "v6", "v4")
---
// leet
preset = xdr_network | filter action_remote_port = 1337 and action_remote_ip not incidr "10.0.0.0/8"
---
dataset = xdr_data | filter event_type = ENUM.NETWORK and action_remote_port = 1337 | alter outbound = if(action_network_is_ipv6 = true, "v6", "v4")
---
// irc
preset = xdr_network | filter action_remote_port = 6667 and action_remote_ip not incidr "10.0.0.0/8"
---
dataset = xdr_data | filter event_type = ENUM.NETWORK and action_remote_port = 6667 | alter outbound = if(action_network_is_ipv6 = true, "v6", "v4")
---
// tor
preset = xdr_network | filter action_remote_port = 9001 and action_remote_ip not incidr "10.0.0.0/8"
---
dataset = xdr_data | filter event_type = ENUM.NETWORK and action_remote_port = 9001 | alter outbound = if(action_network_is_ipv6 = true, "v6", "v4")
---
// rdp
preset = xdr_network | filter action_remote_port = 3389 and action_remote_ip not incidr "10.0.0.0/8"
---
dataset = xdr_data | filter event_type = ENUM.NETWORK and action_remote_port = 3389 | alter outbound = if(action_network_is_ipv6 = true, "v6", "v4")
---
dataset = xdr_data
| filter event_type = ENUM.PROCESS and lowercase(actor_process_image_name) = "winword.exe"
| filter action_process_image_name in ("cmd.exe", "powershell.exe", "wscript.exe", "mshta.exe")
---
dataset = xdr_data
| filter event_type = ENUM.PROCESS and lowercase(actor_process_image_name) = "excel.exe"
| filter action_process_image_name in ("cmd.exe", "powershell.exe", "wscript.exe", "mshta.exe")
---
dataset = xdr_data
| filter event_type = ENUM.PROCESS and lowercase(actor_process_image_name) = "powerpnt.exe"
| filter action_process_image_name in ("cmd.exe", "powershell.exe", "wscript.exe", "mshta.exe")
---
dataset = xdr_data
| filter event_type = ENUM.PROCESS and lowercase(actor_process_image_name) = "outlook.exe"
| filter action_process_image_name in ("cmd.exe", "powershell.exe", "wscript.exe", "mshta.exe")
---
dataset = xdr_data
| filter event_type = ENUM.PROCESS and lowercase(actor_process_image_name) = "acrord32.exe"
| filter action_process_image_name in ("cmd.exe", "powershell.exe", "wscript.exe", "mshta.exe")
---
preset = xdr_file | filter event_sub_type = ENUM.FILE_CREATE_NEW and action_file_extension = "ps1" and action_file_path contains "\\Startup\\"
---
preset = xdr_file | filter event_sub_type = ENUM.FILE_CREATE_NEW and action_file_extension = "vbs" and action_file_path contains "\\Startup\\"
---
preset = xdr_file | filter event_sub_type = ENUM.FILE_CREATE_NEW and action_file_extension = "js" and action_file_path contains "\\Startup\\"
---
preset = xdr_file | filter event_sub_type = ENUM.FILE_CREATE_NEW and action_file_extension = "hta" and action_file_path contains "\\Startup\\"
---
preset = xdr_file | filter event_sub_type = ENUM.FILE_CREATE_NEW and action_file_extension = "lnk" and action_file_path contains "\\Startup\\"
---
dataset = xdr_data | filter event_type = ENUM.PROCESS and action_process_image_name ~= "(power|pw)sh(ell)?(\\.exe)?" and action_process_image_command_line contains "-enc"
---
dataset = xdr_data | filter event_type = ENUM.PROCESS and action_process_image_name ~= "(power|pw)sh(ell)?(\\.exe)?" and action_process_image_command_line contains "-EncodedCommand"
---
dataset = xdr_data | filter event_type = ENUM.PROCESS and action_process_image_name ~= "(power|pw)sh(ell)?(\\.exe)?" and action_process_image_command_line contains "-e "
---
dataset = xdr_data | filter event_type = ENUM.PROCESS and action_process_image_name ~= "(power|pw)sh(ell)?(\\.exe)?" and action_process_image_command_line contains "FromBase64String"
---
dataset = xdr_data | filter event_type = ENUM.PROCESS and action_process_image_name ~= "(power|pw)sh(ell)?(\\.exe)?" and action_process_image_command_line contains "IEX ("
---
dataset = xdr_data | alter cmd = lowercase(action_process_image_command_line) | filter event_type = ENUM.PROCESS and cmd contains "vssadmin.exe delete shadows"
---
dataset = xdr_data | alter cmd = lowercase(action_process_image_command_line) | filter event_type = ENUM.PROCESS and cmd contains "wmic shadowcopy delete"
---
dataset = xdr_data | alter cmd = lowercase(action_process_image_command_line) | filter event_type = ENUM.PROCESS and cmd contains "bcdedit /set {default} recoveryenabled no"
---
dataset = xdr_data | alter cmd = lowercase(action_process_image_command_line) | filter event_type = ENUM.PROCESS and cmd contains "wbadmin delete catalog"
---
dataset = xdr_data | filter event_type = ENUM.NETWORK and dns_query_name = "*.duckdns.org"
---
dataset = xdr_data | filter event_type = ENUM.NETWORK and dns_query_name = "*.ngrok.io"
---
dataset = xdr_data | filter event_type = ENUM.NETWORK and dns_query_name = "*.pastebin.com"
---
dataset = xdr_data | filter event_type = ENUM.NETWORK and dns_query_name = "*.no-ip.com"
---
dataset = xdr_data | filter event_type = ENUM.NETWORK and dns_query_name = "*.raw.githubusercontent.com"
---
dataset = xdr_data | filter event_type = ENUM.PROCESS and action_process_image_sha256 in ("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef")
---
dataset = xdr_data | filter event_type = ENUM.FILE and action_file_sha256 != null and action_file_size > 50000000 and action_file_extension in ("zip", "rar", "7z")
---
dataset = xdr_data | filter event_type = ENUM.PROCESS and action_process_signature_status != ENUM.SIGNED and action_process_image_path contains "\\AppData\\Local\\Temp\\"
---
dataset = xdr_data | filter event_type = ENUM.EVENT_LOG and action_evtlog_event_id in (1102, 104) | alter log = json_extract_scalar(action_evtlog_data_fields, "$.Channel")
---
dataset = xdr_data | filter event_type = ENUM.INJECTION and actor_process_image_name = "lsass.exe"
---
dataset = xdr_data | filter event_type = ENUM.LOAD_IMAGE and action_module_path ~= "(?i)\\\\temp\\\\[^\\\\]+\\.dll$"
---
dataset = cloud_audit_log | filter event_type = ENUM.CLOUD_AUDIT_LOG and operation_name in ("DeleteTrail", "StopLogging")
