/**
 * Migration 4 of the SQLite schema: the audit log. Shipped migrations never change; the helpers
 * below only spell out its SQL.
 */

/**
 * A rule row as the audit log shows it: the fields a client wrote, never secrets or counters.
 * Columns go in as stored (0/1 for booleans, JSON columns as their text): wrapping them in json()
 * here cost a third of every bulk insert, so the audit store turns them back when it reads
 * (sqlite-audit.ts, STORED_AS).
 */
export const iocDoc = (
  r: string,
) => `json_object('rule_id', ${r}.rule_id, 'indicator', ${r}.indicator, 'type', ${r}.type,
  'severity', ${r}.severity, 'expiration_date', ${r}.expiration_date,
  'default_expiration_enabled', ${r}.default_expiration_enabled, 'comment', ${r}.comment,
  'reputation', ${r}.reputation, 'reliability', ${r}.reliability, 'vendors', ${r}.vendors, 'class', ${r}.klass,
  'enabled', ${r}.enabled, 'source', ${r}.source,
  'creation_time', ${r}.creation_time, 'modification_time', ${r}.modification_time)`;

export const biocDoc = (r: string) => `json_object('rule_id', ${r}.rule_id, 'name', ${r}.name, 'type', ${r}.type,
  'severity', ${r}.severity, 'comment', ${r}.comment, 'status', ${r}.status, 'is_xql', ${r}.is_xql,
  'indicator', ${r}.indicator, 'mitre_tactic_id_and_name', ${r}.mitre_tactic_id_and_name,
  'mitre_technique_id_and_name', ${r}.mitre_technique_id_and_name, 'source', ${r}.source,
  'creation_time', ${r}.creation_time, 'modification_time', ${r}.modification_time)`;

/** Never the secret's hash or its sealed form. */
export const keyDoc = (r: string) => `json_object('key_id', ${r}.id, 'role', ${r}.role, 'security', ${r}.security,
  'created_at', ${r}.created_at, 'expires_at', ${r}.expires_at, 'revoked_at', ${r}.revoked_at)`;

export const tenantDoc = (r: string) => `json_object('name', ${r}.name, 'license', ${r}.license)`;
const expiryDoc = (r: string) => `json_object('ioc_type', ${r}.ioc_type, 'days', ${r}.days)`;

/**
 * One audit row from inside a trigger. Who and when come from functions each Warden connection
 * defines (sqlite-audit.ts), answering for the transaction in progress; a tool that writes to the
 * file without them is refused ("no such function"), so no change goes unrecorded.
 */
export const audit = (tenant: string, entity: string, action: string, target: string, before: string, after: string) =>
  `INSERT INTO audit_log (tenant_id, at, actor, address, entity, action, target, before, after)
   VALUES (${tenant}, warden_audit_at(), warden_audit_actor(), warden_audit_address(), '${entity}', ${action},
     ${target}, ${before}, ${after});`;

const tenantName = (id: string) => `(SELECT name FROM tenants WHERE id = ${id})`;

export const enabledAction = `CASE WHEN OLD.enabled IS NOT NEW.enabled THEN CASE WHEN NEW.enabled THEN 'Enable' ELSE 'Disable' END
  ELSE 'Edit' END`;

/**
 * Triggers, not application code, write the audit log: every path that changes a rule, key or
 * tenant (including ones added later) is recorded in the same transaction, or nothing is.
 */
export const AUDIT_MIGRATION = `
  CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    tenant_id INTEGER NOT NULL,
    at INTEGER NOT NULL,
    actor TEXT NOT NULL,
    address TEXT,
    entity TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    before TEXT,
    after TEXT
  );
  CREATE INDEX audit_log_time ON audit_log (tenant_id, at);

  CREATE TRIGGER audit_ioc_insert AFTER INSERT ON ioc_rules BEGIN
    ${audit("NEW.tenant_id", "IOC_RULES", "'Create'", "NEW.rule_id", "NULL", iocDoc("NEW"))}
  END;
  -- number_of_issues moves when events match, which is not a change anyone made to the rule
  CREATE TRIGGER audit_ioc_update AFTER UPDATE ON ioc_rules
  WHEN OLD.number_of_issues IS NEW.number_of_issues BEGIN
    ${audit("NEW.tenant_id", "IOC_RULES", enabledAction, "NEW.rule_id", iocDoc("OLD"), iocDoc("NEW"))}
  END;
  CREATE TRIGGER audit_ioc_delete AFTER DELETE ON ioc_rules BEGIN
    ${audit("OLD.tenant_id", "IOC_RULES", "'Delete'", "OLD.rule_id", iocDoc("OLD"), "NULL")}
  END;

  CREATE TRIGGER audit_bioc_insert AFTER INSERT ON bioc_rules BEGIN
    ${audit("NEW.tenant_id", "BIOC_RULES", "'Create'", "NEW.rule_id", "NULL", biocDoc("NEW"))}
  END;
  CREATE TRIGGER audit_bioc_update AFTER UPDATE ON bioc_rules
  WHEN OLD.number_of_issues IS NEW.number_of_issues BEGIN
    ${audit("NEW.tenant_id", "BIOC_RULES", "'Edit'", "NEW.rule_id", biocDoc("OLD"), biocDoc("NEW"))}
  END;
  CREATE TRIGGER audit_bioc_delete AFTER DELETE ON bioc_rules BEGIN
    ${audit("OLD.tenant_id", "BIOC_RULES", "'Delete'", "OLD.rule_id", biocDoc("OLD"), "NULL")}
  END;

  CREATE TRIGGER audit_key_insert AFTER INSERT ON api_keys BEGIN
    ${audit("NEW.tenant_id", "API_KEYS", "'Create'", "NEW.id", "NULL", keyDoc("NEW"))}
  END;
  CREATE TRIGGER audit_key_update AFTER UPDATE ON api_keys BEGIN
    ${audit(
      "NEW.tenant_id",
      "API_KEYS",
      "CASE WHEN OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL THEN 'Revoke' ELSE 'Edit' END",
      "NEW.id",
      keyDoc("OLD"),
      keyDoc("NEW"),
    )}
  END;

  CREATE TRIGGER audit_tenant_insert AFTER INSERT ON tenants BEGIN
    ${audit("NEW.id", "TENANTS", "'Create'", "NEW.name", "NULL", tenantDoc("NEW"))}
  END;
  CREATE TRIGGER audit_tenant_update AFTER UPDATE OF name, license ON tenants BEGIN
    ${audit("NEW.id", "TENANTS", "'Edit'", "NEW.name", tenantDoc("OLD"), tenantDoc("NEW"))}
  END;
  CREATE TRIGGER audit_expiry_insert AFTER INSERT ON tenant_ioc_expiry BEGIN
    ${audit("NEW.tenant_id", "TENANTS", "'Edit'", tenantName("NEW.tenant_id"), "NULL", expiryDoc("NEW"))}
  END;
  CREATE TRIGGER audit_expiry_update AFTER UPDATE ON tenant_ioc_expiry BEGIN
    ${audit("NEW.tenant_id", "TENANTS", "'Edit'", tenantName("NEW.tenant_id"), expiryDoc("OLD"), expiryDoc("NEW"))}
  END;
  CREATE TRIGGER audit_expiry_delete AFTER DELETE ON tenant_ioc_expiry BEGIN
    ${audit("OLD.tenant_id", "TENANTS", "'Edit'", tenantName("OLD.tenant_id"), expiryDoc("OLD"), "NULL")}
  END;
`;
