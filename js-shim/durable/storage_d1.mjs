// A D1-shaped binding over a SQLite-backed Durable Object's storage (ctx.storage), so the
// core runs unchanged inside the object: createEventuall({ workers: storageD1(ctx.storage) }).
//
// What the shim asks of D1 (js-shim/eventuall.mjs, runBatch) and how it is met here:
//   - db.prepare(sql).bind(...values), and db.batch(statements): the batch runs inside
//     ctx.storage.transactionSync(), so it commits whole or not at all, as a D1 batch does;
//     a single all()/run()/first()/raw() is one transaction of its own;
//   - results are D1's: [{success, results: rows as objects, meta: {changes, last_row_id,
//     rows_read, rows_written, ...}}]; `changes` is the difference of total_changes() around
//     the statement, as Miniflare's local D1 (itself a Durable Object over ctx.storage.sql)
//     computes it;
//   - values bind as D1 binds them: numbers (as REAL, which storage.sql does too), strings,
//     null, ArrayBuffer (views and byte arrays become one), booleans as 1/0 (storage.sql
//     would bind true as the text 'true'); undefined, bigint and objects are refused;
//   - errors carry SQLite's message in `cause` and a D1_ERROR-prefixed message, as D1's do.
// The SQL itself is the object's: storage.sql refuses BEGIN/SAVEPOINT and sqlite_version()
// with the same messages as D1, always enforces foreign keys and returns the last statement's
// rows when one exec() holds several.
//
// Everything is synchronous: a batch starts and ends without yielding, so operations in
// flight in the object never interleave inside one another's batch.

const ERROR_PREFIX = "D1_ERROR";

function d1Error(message) {
  return new Error(`${ERROR_PREFIX}: ${message}`, { cause: new Error(message) });
}

function bindable(value, index) {
  if (value === null || typeof value === "string" || typeof value === "number") return value;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (value instanceof ArrayBuffer) return value;
  if (ArrayBuffer.isView(value)) return value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength);
  if (Array.isArray(value) && value.every((b) => Number.isInteger(b) && b >= 0 && b <= 255)) {
    return Uint8Array.from(value).buffer;
  }
  const kind = value === undefined ? "undefined" : typeof value === "object" ? value.constructor?.name ?? "object" : typeof value;
  throw d1Error(`Type '${kind}' not supported for value at index ${index}`);
}

/**
 * @param {DurableObjectStorage} storage the object's ctx.storage (SQLite-backed)
 * @returns a D1Database-like binding: prepare, batch, exec
 */
export function storageD1(storage) {
  const sql = storage.sql;
  const totals = () => sql.exec("SELECT total_changes() AS changes, last_insert_rowid() AS lastRowId").one();

  // One statement, inside the caller's transaction.
  function query(statement) {
    const before = totals();
    const started = performance.now();
    const cursor = sql.exec(statement.sql, ...statement.params);
    const results = cursor.toArray();
    const after = totals();
    return {
      success: true,
      results,
      meta: {
        served_by: "durable-object-sqlite",
        duration: performance.now() - started,
        changes: after.changes - before.changes,
        last_row_id: after.lastRowId,
        changed_db: after.changes !== before.changes,
        rows_read: cursor.rowsRead,
        rows_written: cursor.rowsWritten,
      },
      columns: cursor.columnNames,
    };
  }

  function transaction(statements) {
    try {
      return storage.transactionSync(() => statements.map(query));
    } catch (e) {
      if (String(e?.message).startsWith(`${ERROR_PREFIX}:`)) throw e;
      throw d1Error(String(e?.message ?? e));
    }
  }

  class Statement {
    constructor(text, params = []) {
      if (typeof text !== "string") throw d1Error("SQL must be a string");
      this.sql = text;
      this.params = params;
    }
    bind(...values) {
      return new Statement(this.sql, values.map(bindable));
    }
    async all() {
      const { columns: _columns, ...result } = transaction([this])[0];
      return result;
    }
    async run() {
      return this.all();
    }
    async first(column) {
      const row = transaction([this])[0].results[0] ?? null;
      if (column === undefined || row === null) return row;
      if (!(column in row)) throw d1Error(`Column not found: ${column}`);
      return row[column];
    }
    async raw({ columnNames = false } = {}) {
      const { results, columns } = transaction([this])[0];
      const rows = results.map((r) => columns.map((c) => r[c]));
      return columnNames ? [columns, ...rows] : rows;
    }
  }

  return {
    prepare: (text) => new Statement(text),
    async batch(statements) {
      if (!Array.isArray(statements) || statements.length === 0) throw d1Error("No SQL statements detected.");
      for (const s of statements) if (!(s instanceof Statement)) throw d1Error("batch() takes statements from this binding's prepare()");
      return transaction(statements).map(({ columns: _columns, ...result }) => result);
    },
    async exec(text) {
      transaction([new Statement(text)]);
      return { count: 1, duration: 0 };
    },
    /** Bytes of the object's database (storage.sql.databaseSize). */
    get databaseSize() {
      return sql.databaseSize;
    },
  };
}
