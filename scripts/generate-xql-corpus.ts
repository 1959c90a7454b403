/**
 * Writes test/xql/corpus/corpus.json: realistic BIOC XQL queries, each with events that must fire
 * it and events that must not. Queries are built from templates shaped like converted SigmaHQ rules
 * (pySigma's Cortex XDR backend: `preset=xdr_process | filter (event_type = ENUM.PROCESS and
 * event_sub_type = ENUM.PROCESS_START) and (...)`) and like the vendor's content packs, over value
 * pools taken from common detections. The expected outcome of every event comes from the abstract
 * condition it was built from, never from Warden's evaluator. Deterministic (seeded); run with
 * `node --import tsx scripts/generate-xql-corpus.ts` and commit the output.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { seededRandom } from "../bench/lib.ts";

const COUNT = 1100;
const OUT = join(import.meta.dirname, "..", "test", "xql", "corpus", "corpus.json");

const rnd = seededRandom(20261202);
const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)] as T;
const some = <T>(items: readonly T[], n: number): T[] => {
  const copy = [...items];
  const out: T[] = [];
  while (out.length < n && copy.length > 0) out.push(copy.splice(Math.floor(rnd() * copy.length), 1)[0] as T);
  return out;
};

type Os = "windows" | "linux";
type Kind = "process" | "file" | "registry" | "network" | "dns";

/** One condition of a rule: what the query says and how to make an event meet or miss it. */
type Op = "eq" | "contains" | "startswith" | "endswith" | "wildcard" | "regex" | "in" | "incidr" | "port";
interface Condition {
  field: string;
  op: Op;
  values: string[];
}

const WIN_IMAGES = [
  "C:\\Windows\\System32\\rundll32.exe",
  "C:\\Windows\\System32\\regsvr32.exe",
  "C:\\Windows\\System32\\mshta.exe",
  "C:\\Windows\\System32\\certutil.exe",
  "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
  "C:\\Windows\\System32\\cmd.exe",
  "C:\\Windows\\System32\\wscript.exe",
  "C:\\Windows\\System32\\cscript.exe",
  "C:\\Windows\\System32\\bitsadmin.exe",
  "C:\\Windows\\System32\\schtasks.exe",
  "C:\\Windows\\System32\\wbem\\WMIC.exe",
  "C:\\Windows\\System32\\msiexec.exe",
  "C:\\Windows\\System32\\reg.exe",
  "C:\\Windows\\System32\\net1.exe",
  "C:\\Windows\\System32\\vssadmin.exe",
  "C:\\Windows\\System32\\bcdedit.exe",
  "C:\\Windows\\System32\\wevtutil.exe",
  "C:\\Windows\\System32\\nltest.exe",
  "C:\\Windows\\System32\\cmstp.exe",
  "C:\\Windows\\SysWOW64\\odbcconf.exe",
  "C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319\\InstallUtil.exe",
  "C:\\Windows\\System32\\forfiles.exe",
  "C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE",
  "C:\\Windows\\System32\\whoami.exe",
];
const WIN_CMD = [
  "-enc",
  "-nop",
  "-w hidden",
  "-ExecutionPolicy Bypass",
  "IEX (New-Object Net.WebClient).DownloadString(",
  "-urlcache -split -f",
  "-decode",
  "delete shadows /all /quiet",
  "/transfer",
  "/create /sc minute",
  "javascript:",
  "shadowcopy delete",
  "/domain_trusts",
  "\\\\127.0.0.1\\ADMIN$\\",
  "cl Security",
  "/set {default} recoveryenabled No",
  "DllRegisterServer",
  "scrobj.dll",
  "/i:http",
  '"C:\\Program Files\\',
  "add HKCU\\Software\\Classes\\",
  ' -s -w hidden -c "',
  "C:\\Users\\Public\\",
  "\\AppData\\Local\\Temp\\",
  "--headless",
  "comsvcs.dll, MiniDump",
  "sekurlsa::logonpasswords",
];
const LINUX_IMAGES = [
  "/usr/bin/curl",
  "/usr/bin/wget",
  "/bin/bash",
  "/usr/bin/python3",
  "/usr/bin/nc",
  "/usr/bin/base64",
  "/usr/bin/crontab",
  "/usr/bin/chmod",
  "/usr/sbin/useradd",
  "/usr/bin/ssh-keygen",
  "/usr/bin/socat",
  "/usr/bin/perl",
  "/usr/sbin/iptables",
];
const LINUX_CMD = [
  "base64 -d",
  "chmod +x /tmp/",
  "nc -e /bin/sh",
  "/dev/tcp/",
  "crontab -r",
  "python -c 'import pty;pty.spawn(\"/bin/sh\")'",
  "| bash",
  "--output /tmp/",
  "-O- | sh",
  "iptables -F",
  "useradd -o -u 0",
  "history -c",
  "cat /etc/shadow",
  "LD_PRELOAD=",
];
const WIN_FILES = [
  "C:\\Users\\",
  "\\AppData\\Roaming\\Microsoft\\Windows\\Start Menu\\Programs\\Startup\\",
  "C:\\Windows\\Temp\\",
  "\\AppData\\Local\\Temp\\",
  "C:\\ProgramData\\",
  "C:\\Windows\\System32\\Tasks\\",
  "C:\\Users\\Public\\Downloads\\",
  "C:\\PerfLogs\\",
  "\\Windows\\System32\\drivers\\",
];
const WIN_EXTENSIONS = [".ps1", ".hta", ".lnk", ".vbs", ".js", ".dll", ".scr", ".bat", ".iso", ".one"];
const LINUX_FILES = [
  "/etc/cron.d/",
  "/etc/ld.so.preload",
  "/root/.ssh/authorized_keys",
  "/etc/systemd/system/",
  "/tmp/.",
  "/dev/shm/",
  "/etc/sudoers.d/",
  "/var/spool/cron/",
  "/etc/rc.local",
  "/home/user/.bashrc",
];
const REGISTRY_KEYS = [
  "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\",
  "HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\RunOnce\\",
  "\\Image File Execution Options\\",
  "\\SYSTEM\\CurrentControlSet\\Services\\",
  "\\Environment\\UserInitMprLogonScript",
  "\\Software\\Classes\\ms-settings\\shell\\open\\command",
  "\\Control\\Lsa\\",
  "\\Winlogon\\Userinit",
  "\\SOFTWARE\\Policies\\Microsoft\\Windows Defender\\",
  "\\Software\\Microsoft\\Office\\",
  "\\Control\\SafeBoot\\",
];
const REGISTRY_DATA = [
  "C:\\Users\\Public\\",
  "powershell",
  "\\AppData\\",
  "rundll32",
  "mshta",
  "DisableAntiSpyware",
  "C:\\Windows\\Temp\\",
  "%APPDATA%\\",
  '"C:\\ProgramData\\',
  "cmd.exe /c",
];
const DOMAINS = [
  "pastebin.com",
  "raw.githubusercontent.com",
  "transfer.sh",
  "ngrok.io",
  "duckdns.org",
  "no-ip.org",
  "anydesk.com",
  "api.telegram.org",
  "discord.com",
  "mega.nz",
  "file.io",
  "trycloudflare.com",
  "onion.ws",
  "serveo.net",
];
const CIDRS: [string, string, string][] = [
  ["10.0.0.0/8", "10.20.30.40", "11.0.0.1"],
  ["192.168.0.0/16", "192.168.1.20", "192.169.0.1"],
  ["172.16.0.0/12", "172.20.1.1", "172.32.0.1"],
  ["185.220.100.0/22", "185.220.101.7", "185.220.104.1"],
  ["45.142.212.0/24", "45.142.212.61", "45.142.213.61"],
];
const PORTS = ["4444", "1337", "3389", "5985", "5986", "8080", "9001", "445", "22", "23", "6667"];

const FIELDS = {
  image: "action_process_image_path",
  name: "action_process_image_name",
  cmd: "action_process_image_command_line",
  parent: "actor_process_image_path",
  parentCmd: "actor_process_image_command_line",
  file: "action_file_path",
  fileName: "action_file_name",
  regKey: "action_registry_key_name",
  regData: "action_registry_data",
  regValue: "action_registry_value_name",
  ip: "action_remote_ip",
  port: "action_remote_port",
  dns: "dns_query_name",
  user: "actor_effective_username",
} as const;

const basename = (path: string) => path.split(/[\\/]/).pop() as string;

/** The selections a rule of each kind draws from: a field, an operator and the values it takes. */
function selection(os: Os, field: string): Condition {
  const win = os === "windows";
  switch (field) {
    case FIELDS.image:
    case FIELDS.parent: {
      const image = pick(win ? WIN_IMAGES : LINUX_IMAGES);
      const op = pick<Op>(["endswith", "endswith", "regex", "eq", "in"]);
      if (op === "in") return { field, op, values: some(win ? WIN_IMAGES : LINUX_IMAGES, 3) };
      return { field, op, values: [op === "eq" ? image : `${win ? "\\" : "/"}${basename(image)}`] };
    }
    case FIELDS.name:
      return {
        field,
        op: pick<Op>(["eq", "in"]),
        values: some((win ? WIN_IMAGES : LINUX_IMAGES).map(basename), 1 + Math.floor(rnd() * 3)),
      };
    case FIELDS.cmd:
    case FIELDS.parentCmd: {
      const op = pick<Op>(["contains", "contains", "wildcard", "regex"]);
      return { field, op, values: some(win ? WIN_CMD : LINUX_CMD, op === "contains" ? 1 + Math.floor(rnd() * 3) : 1) };
    }
    case FIELDS.file: {
      const op = pick<Op>(["contains", "startswith", "endswith", "wildcard"]);
      if (op === "endswith")
        return { field, op, values: [pick(win ? WIN_EXTENSIONS : [".sh", ".so", "/authorized_keys"])] };
      return {
        field,
        op,
        values: some(win ? WIN_FILES : LINUX_FILES, op === "contains" ? 1 + Math.floor(rnd() * 2) : 1),
      };
    }
    case FIELDS.fileName:
      return {
        field,
        op: pick<Op>(["endswith", "in"]),
        values: some(
          WIN_EXTENSIONS.map((e) => `update${e}`),
          2,
        )
          .map((v, i) => (i === 0 ? v.slice(6) : v))
          .slice(0, 1),
      };
    case FIELDS.regKey:
      return { field, op: pick<Op>(["contains", "endswith", "regex"]), values: [pick(REGISTRY_KEYS)] };
    case FIELDS.regData:
      return {
        field,
        op: pick<Op>(["contains", "startswith"]),
        values: some(REGISTRY_DATA, 1 + Math.floor(rnd() * 2)),
      };
    case FIELDS.regValue:
      return {
        field,
        op: "eq",
        values: [pick(["Debugger", "GlobalFlag", "ProxyEnable", "Userinit", "Shell", "ImagePath"])],
      };
    case FIELDS.ip: {
      const [cidr] = pick(CIDRS);
      return { field, op: "incidr", values: [cidr] };
    }
    case FIELDS.port:
      return { field, op: "port", values: some(PORTS, 1 + Math.floor(rnd() * 3)) };
    case FIELDS.dns:
      return { field, op: pick<Op>(["endswith", "eq", "in"]), values: some(DOMAINS, 1 + Math.floor(rnd() * 2)) };
    default:
      return { field, op: "eq", values: [pick(["NT AUTHORITY\\SYSTEM", "root", "CORP\\svc_backup", "www-data"])] };
  }
}

const KIND_FIELDS: Record<Kind, string[]> = {
  process: [FIELDS.image, FIELDS.name, FIELDS.cmd, FIELDS.parent, FIELDS.parentCmd, FIELDS.user],
  file: [FIELDS.file, FIELDS.fileName, FIELDS.image, FIELDS.cmd],
  registry: [FIELDS.regKey, FIELDS.regData, FIELDS.regValue, FIELDS.image],
  network: [FIELDS.ip, FIELDS.port, FIELDS.image, FIELDS.cmd],
  dns: [FIELDS.dns, FIELDS.image],
};
const EVENT_TYPES: Record<Kind, [string, number, string, string]> = {
  process: ["PROCESS", 1, "xdr_process", "PROCESS_START"],
  file: ["FILE", 3, "xdr_file", "FILE_WRITE"],
  registry: ["REGISTRY", 4, "xdr_registry", "REGISTRY_SET_VALUE"],
  network: ["NETWORK", 2, "xdr_network", "NETWORK_STREAM"],
  dns: ["NETWORK", 2, "xdr_network", "DNS_QUERY"],
};

// ---- rendering a value as an XQL string literal (docs/xql.md) ----

/** Whether a plain "..." literal can hold the value: a quote there must not look like the string's end. */
function plainSafe(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    if (value[i] !== '"') continue;
    const after = value.slice(i + 1);
    if (/^[ \t]*(?:$|[\r\n),|\]}]|\/\/|(?:and|or|not|in|contains|incidr6?|as|by)(?![A-Za-z0-9_$@]))/i.test(after))
      return false;
  }
  return !/\\"/.test(value) && !value.includes("\n");
}

function literal(value: string, form: "plain" | "triple"): string {
  if (form === "plain" && plainSafe(value)) return `"${value.replaceAll('"', '\\"')}"`;
  if (value.endsWith('"') || value.includes('"""')) return `"${value.replaceAll('"', '\\"')}"`;
  return `"""${value.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"""`;
}

const escapeRegex = (value: string) => value.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&");

function render(c: Condition, form: "plain" | "triple"): string {
  const [v = ""] = c.values;
  const lit = (x: string) => literal(x, form);
  switch (c.op) {
    case "eq":
      return c.values.length === 1 ? `${c.field} = ${lit(v)}` : `${c.field} in (${c.values.map(lit).join(", ")})`;
    case "in":
      return `${c.field} in (${c.values.map(lit).join(", ")})`;
    case "contains":
      return c.values.length === 1
        ? `${c.field} contains ${lit(v)}`
        : `(${c.values.map((x) => `${c.field} contains ${lit(x)}`).join(" or ")})`;
    case "startswith":
      return c.values.length === 1
        ? `${c.field} = ${lit(`${v}*`)}`
        : `(${c.values.map((x) => `${c.field} = ${lit(`${x}*`)}`).join(" or ")})`;
    case "endswith":
      return c.values.length === 1
        ? `${c.field} = ${lit(`*${v}`)}`
        : `${c.field} in (${c.values.map((x) => lit(`*${x}`)).join(", ")})`;
    case "wildcard":
      return `${c.field} = ${lit(`*${v}*`)}`;
    case "regex":
      return `${c.field} ~= ${lit(`.*${escapeRegex(v)}.*`)}`;
    case "incidr":
      return `${c.field} incidr ${lit(v)}`;
    case "port":
      return c.values.length === 1 ? `${c.field} = ${v}` : `${c.field} in (${c.values.join(", ")})`;
  }
}

/** Values that meet the condition, and one that misses it. */
function meets(c: Condition): string | number {
  const v = pick(c.values);
  switch (c.op) {
    case "contains":
    case "wildcard":
    case "regex":
      return `pre ${v} post`;
    case "startswith":
      return `${v}tail`;
    case "endswith":
      return `C:\\head\\x${v}`;
    case "incidr":
      return (CIDRS.find(([cidr]) => cidr === v) as [string, string, string])[1];
    case "port":
      return Number(v);
    default:
      return v;
  }
}

function misses(c: Condition): string | number {
  if (c.op === "incidr") return (CIDRS.find(([cidr]) => cidr === c.values[0]) as [string, string, string])[2];
  if (c.op === "port") return 50_000 + Math.floor(rnd() * 1000);
  return `benign-${Math.floor(rnd() * 1e6)}-value`;
}

// ---- one rule ----

interface Case {
  name: string;
  query: string;
  fire: Record<string, unknown>[];
  quiet: Record<string, unknown>[];
}

function eventTypeClause(kind: Kind): { text: string; preset: string | undefined } {
  const [name, number, preset] = EVENT_TYPES[kind];
  const form = pick(["enum", "enum", "string", "number", "preset"]);
  if (form === "preset") return { text: `event_type = ENUM.${name}`, preset };
  const value = form === "enum" ? `ENUM.${name}` : form === "string" ? `"${name}"` : String(number);
  return { text: `event_type = ${value}`, preset: undefined };
}

function eventTypeValue(kind: Kind): string | number {
  const [name, number] = EVENT_TYPES[kind];
  return pick<string | number>([name, `ENUM.${name}`, number]);
}

function build(index: number): Case {
  const kind = pick<Kind>(["process", "process", "process", "file", "file", "registry", "network", "dns"]);
  const os: Os = kind === "registry" ? "windows" : pick<Os>(["windows", "windows", "linux"]);
  const form = rnd() < 0.75 ? "plain" : "triple";
  const fields = some(KIND_FIELDS[kind], 1 + Math.floor(rnd() * 3));
  const conditions = fields.map((field) => selection(os, field));
  const exclusionField = KIND_FIELDS[kind].find((f) => !fields.includes(f));
  const exclusion = exclusionField && rnd() < 0.5 ? selection(os, exclusionField) : undefined;
  const subType = rnd() < 0.5 ? EVENT_TYPES[kind][3] : undefined;
  const osType = rnd() < 0.4 ? (os === "windows" ? "AGENT_OS_WINDOWS" : "AGENT_OS_LINUX") : undefined;

  const type = eventTypeClause(kind);
  const head = [type.text];
  if (subType) head.push(`event_sub_type = ${pick([`ENUM.${subType}`, `"${subType}"`])}`);
  const body = [...(osType ? [`agent_os_type = ENUM.${osType}`] : []), ...conditions.map((c) => render(c, form))];
  let filter = `(${head.join(" and ")}) and (${body.join(" and ")})`;
  if (exclusion) filter += ` and not (${render(exclusion, form)})`;
  const query = `${type.preset ? `preset=${type.preset}` : "dataset = xdr_data"} | filter ${filter}`;

  const base = (): Record<string, unknown> => {
    const event: Record<string, unknown> = { event_type: eventTypeValue(kind), agent_hostname: `host-${index}` };
    if (subType) event.event_sub_type = pick([subType, `ENUM.${subType}`]);
    if (osType) event.agent_os_type = pick([osType, `ENUM.${osType}`]);
    for (const c of conditions) event[c.field] = meets(c);
    if (exclusion) event[exclusion.field] = misses(exclusion);
    return event;
  };
  const fire = [base(), base()];
  const quiet = conditions.map((c) => ({ ...base(), [c.field]: misses(c) }));
  const [first] = conditions;
  if (first) {
    const missing = base();
    delete missing[first.field];
    quiet.push(missing);
  }
  if (exclusion) quiet.push({ ...base(), [exclusion.field]: meets(exclusion) });
  quiet.push({ ...base(), event_type: kind === "process" ? "FILE" : "PROCESS" });
  if (subType) quiet.push({ ...base(), event_sub_type: "SOMETHING_ELSE" });
  return { name: `${kind}-${os}-${index}`, query, fire, quiet };
}

const cases = Array.from({ length: COUNT }, (_, i) => build(i));
writeFileSync(OUT, `${JSON.stringify(cases, null, 1)}\n`);
process.stdout.write(`wrote ${cases.length} queries to ${OUT}\n`);
