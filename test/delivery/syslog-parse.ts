/** Strict readers of what a SIEM receives: an RFC 5424 message and its CEF payload, escapes undone. */

export interface Rfc5424 {
  pri: number;
  timestamp: string;
  hostname: string;
  appName: string;
  procId: string;
  msgId: string;
  structuredData: string;
  msg: string;
}

/** RFC 5424 section 6: header fields are 1-n printable ASCII characters without spaces. */
export function parseRfc5424(line: string): Rfc5424 {
  const m =
    /^<(\d{1,3})>1 (\S{1,64}) ([\x21-\x7e]{1,255}) ([\x21-\x7e]{1,48}) ([\x21-\x7e]{1,128}) ([\x21-\x7e]{1,32}) /.exec(
      line,
    );
  if (!m) throw new Error(`not an RFC 5424 header: ${line.slice(0, 120)}`);
  if (Number.isNaN(Date.parse(m[2] as string)) || !/Z$|[+-]\d\d:\d\d$/.test(m[2] as string))
    throw new Error(`bad TIMESTAMP ${m[2]}`);
  const rest = line.slice(m[0].length);
  const sdEnd = structuredDataEnd(rest);
  if (rest[sdEnd] !== " ") throw new Error("no space between STRUCTURED-DATA and MSG");
  return {
    pri: Number(m[1]),
    timestamp: m[2] as string,
    hostname: m[3] as string,
    appName: m[4] as string,
    procId: m[5] as string,
    msgId: m[6] as string,
    structuredData: rest.slice(0, sdEnd),
    msg: rest.slice(sdEnd + 1),
  };
}

/** Where the SD-ELEMENTs end: `]` outside a quoted PARAM-VALUE, where `\"`, `\\` and `\]` are escapes. */
function structuredDataEnd(text: string): number {
  if (text.startsWith("-")) return 1;
  let i = 0;
  while (text[i] === "[") {
    let quoted = false;
    for (i++; i < text.length; i++) {
      const c = text[i];
      if (quoted && c === "\\") i++;
      else if (c === '"') quoted = !quoted;
      else if (!quoted && c === "]") break;
    }
    if (i >= text.length) throw new Error("unterminated SD-ELEMENT");
    i++;
  }
  if (i === 0) throw new Error("STRUCTURED-DATA is neither '-' nor an SD-ELEMENT");
  return i;
}

/** One SD-PARAM's value, unescaped. */
export function sdParam(structuredData: string, name: string): string | undefined {
  const m = new RegExp(`\\b${name}="((?:[^"\\\\]|\\\\.)*)"`).exec(structuredData);
  return m?.[1]?.replace(/\\(["\\\]])/g, "$1");
}

export interface Cef {
  version: string;
  vendor: string;
  product: string;
  deviceVersion: string;
  signatureId: string;
  name: string;
  severity: string;
  extension: Record<string, string>;
}

/** The seven header fields split on unescaped pipes (`\|`, `\\` are escapes), then key=value pairs. */
export function parseCef(text: string): Cef {
  const fields: string[] = [];
  let current = "";
  let i = 0;
  for (; i < text.length && fields.length < 7; i++) {
    const c = text[i] as string;
    if (c === "\\") {
      const next = text[++i];
      if (next !== "\\" && next !== "|") throw new Error(`bad header escape \\${next}`);
      current += next;
    } else if (c === "|") {
      fields.push(current);
      current = "";
    } else current += c;
  }
  if (fields.length !== 7 || !fields[0]?.startsWith("CEF:")) throw new Error(`not CEF: ${text.slice(0, 120)}`);
  const extension: Record<string, string> = {};
  for (const pair of text.slice(i).split(/ (?=[A-Za-z0-9_]+=)/)) {
    const eq = pair.search(/(?<!\\)=/);
    const value = pair.slice(eq + 1);
    if (/(?<!\\)=/.test(value.replace(/\\\\/g, ""))) throw new Error(`unescaped '=' in ${pair}`);
    extension[pair.slice(0, eq)] = value.replace(/\\(\\|=|n|r)/g, (_, e: string) =>
      e === "n" ? "\n" : e === "r" ? "\r" : e,
    );
  }
  const [version, vendor, product, deviceVersion, signatureId, name, severity] = fields as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  return { version, vendor, product, deviceVersion, signatureId, name, severity, extension };
}
