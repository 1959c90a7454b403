// source: issue 12 (shapes from converted Sigma rules and live tenant exports that Warden refused)
dataset = xdr_data | filter event_type = ENUM.FILE and action_file_path contains "C:\Users\" and action_file_name = "*.lnk"
---
// source: spec/API.md section 8 (a live tenant's REAL_TIME correlation rule)
preset = xdr_event_log
| alter Opts = regextract(to_json_string(action_evtlog_data_fields)->TicketOptions{}, "\"(.*)\"")
| filter action_evtlog_event_id = 4768 and Opts = "0x40810000" and not (action_evtlog_message = "$*")
---
// source: vendor XQL reference, comp stage with a quoted alias
dataset = xdr_data | filter event_type = ENUM.EVENT_LOG and action_evtlog_event_id = 4625
| comp count() as `Failed Logins` by agent_hostname, `actor_effective_username`
| filter `Failed Logins` > 10
---
// source: converted Sigma rule (negated regex)
preset=xdr_process | filter event_type = ENUM.PROCESS and action_process_image_command_line !~= "^\"?C:\\Program Files\\"
---
// source: vendor content pack (quoted dataset name)
datamodel dataset = "dropbox_raw" | fields *
---
// source: vendor content pack (quoted datasets in a list)
dataset in ("okta_sso_raw", okta_raw) | fields _time, `user name`
---
// source: vendor XQL reference (JSON array forms)
dataset = xdr_data | alter ips = action_evtlog_data_fields -> [] | alter first = arrayindex(ips, 0)
---
// source: vendor XQL reference (aggregation stages a correlation rule uses)
config case_sensitive = false
| dataset = xdr_data
| filter event_type = ENUM.NETWORK and action_remote_port in (4444, 1337)
| bin _time span = 1h
| comp count_distinct(action_remote_ip) as remotes, count() as hits by agent_hostname, _time
| windowcomp count() by agent_hostname sort asc _time as running
| dedup agent_hostname by desc _time
| sort desc remotes
| limit 100
---
// source: vendor XQL reference (triple-quoted regex)
dataset = xdr_data | filter event_type = ENUM.PROCESS and action_process_image_command_line ~= """-e(nc|ncodedcommand)\s+[A-Za-z0-9+/=]{20,}"""
---
// source: converted Sigma rule (escaped quotes inside a plain string)
preset=xdr_process | filter event_type = ENUM.PROCESS and action_process_image_command_line contains "\"C:\Windows\System32\cmd.exe\" /c" and not (actor_process_image_path in ("C:\Windows\explorer.exe", "C:\Program Files\"))
---
// source: public XSIAM expression library (a triple-quoted string whose last character is an escaped quote)
dataset = xdr_data | alter pairs = arraycreate("""\"user\"=\"admin\"""", """path=C:\\Temp\\""", """\"k\\\"ey\" = \"v\"""") | arrayexpand pairs
---
// source: public XSIAM key=value parser (plain-string regexes whose classes hold \" many times)
dataset = xdr_data | alter kv = regextract(msg, "=(?:\"(?:\\.|[^\\\"])*\"|(?:\\==|\\[^=\"]|[^=\\\"]))+?=|^(?:\"(?:\\.|[^\\\"])*\"|[^=\\\"])*?=|=(?:\"(?:\\.|[^\\\"])*\"|(?:\\==|\\[^=\"]|[^=\\\"]))*?$") | alter first = arrayindex(regextract(kv, "^\"((?:\\.|[^\"])*)\"$"), 0) | fields kv, first
---
// source: live-tenant saved query (a time range with between ... and ..., also inside a join's sub-query)
config timeframe between "14d" and "1d" case_sensitive = false
| preset = xdr_process
| dedup agent_hostname, action_process_image_sha256
| join type = left (config timeframe between "1d" and "0d" | preset = xdr_process | dedup action_process_image_sha256 | fields action_process_image_sha256 as recent) as r r.recent = action_process_image_sha256
| filter r.recent = null
---
// source: vendor operator reference ("in" with a dataset and filter as an alternative to a join); live content uses it for host membership
dataset = xdr_data
| filter event_type = ENUM.PROCESS and lowercase(agent_hostname) not in (dataset = endpoints | filter endpoint_status = "CONNECTED" | alter name = lowercase(endpoint_name) | fields name)
| fields agent_hostname, action_process_image_name
---
// source: live-tenant BIOC export (a signature status compared to a bare enum name)
preset = xdr_image_load
| filter action_module_path ~= ".*\.sys$"
| filter event_type = ENUM.LOAD_IMAGE
| filter (actor_process_signature_status = SIGNED_INVALID or causality_actor_process_signature_status not in (ENUM.SIGNED, "UNSUPPORTED"))
---
// source: vendor fields-stage reference (a name pattern with *, and a field excluded with -)
dataset = xdr_data | filter action_country != null and action_country != "-" | fields action_country as country, event_*, -event_type | sort asc country
