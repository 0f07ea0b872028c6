// Drizzle table objects, relations and the participants view, derived from the
// committed migration snapshot (migrations/webapp/meta/NNNN_snapshot.json) so
// the schema is not written a second time by hand. What a Drizzle user would
// declare with sqliteTable(...) is built here from the same facts: column
// names (snake_case in SQL, camelCase keys in JS), types, primary keys,
// NOT NULL and references; relations come from the foreign keys.
import { relations } from "drizzle-orm";
import { integer, real, sqliteTable, sqliteView, text, blob } from "drizzle-orm/sqlite-core";

export const camel = (name) => name.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());

const COLUMN_TYPES = { text, integer, real, blob };

function columnBuilder(column) {
  const make = COLUMN_TYPES[column.type] ?? text;
  let builder = make(column.name);
  if (column.primaryKey) builder = builder.primaryKey();
  else if (column.notNull) builder = builder.notNull();
  return builder;
}

// The view's columns from the "x AS name" list of its first SELECT; *_at are
// unix seconds (integers), the rest text.
function viewColumns(viewSql) {
  const selectList = viewSql.slice(0, viewSql.search(/\bFROM\b/i));
  const names = [...selectList.matchAll(/\bAS\s+(\w+)/gi)].map((m) => m[1]);
  return Object.fromEntries(names.map((n) => [camel(n), n.endsWith("_at") ? integer(n) : text(n)]));
}

/**
 * @param {{tables: any[], views: any[]}} snapshot a parsed migration snapshot
 * @returns {Record<string, any>} tables and views by camelCase name, plus `<table>Relations`
 */
export function drizzleSchema(snapshot) {
  const schema = {};
  for (const table of snapshot.tables) {
    const columns = Object.fromEntries(table.columns.map((c) => [camel(c.name), columnBuilder(c)]));
    schema[camel(table.name)] = sqliteTable(table.name, columns);
  }
  for (const view of snapshot.views ?? []) {
    schema[camel(view.name)] = sqliteView(view.name, viewColumns(view.sql)).existing();
  }

  // Relations: a child's reference to a parent gives the child `one(parent)`
  // (named after the column without _id) and, when it is the child's only
  // reference to that parent, the parent `many(child)` (named after the child
  // table) — the shape `db.query.events.findFirst({ with: { rooms: true } })` needs.
  const ones = new Map(); // table -> {name: (helpers) => relation}
  const manys = new Map();
  const add = (map, table, name, make) => {
    if (!map.has(table)) map.set(table, {});
    map.get(table)[name] = make;
  };
  for (const table of snapshot.tables) {
    const refs = table.columns.filter((c) => c.references);
    for (const column of refs) {
      const parent = column.references.table;
      const child = schema[camel(table.name)];
      const parentTable = schema[camel(parent)];
      const unique = refs.filter((c) => c.references.table === parent).length === 1;
      const relationName = unique ? undefined : `${table.name}_${column.name}`;
      add(ones, table.name, camel(column.name.replace(/_id$/, "")), ({ one }) =>
        one(parentTable, {
          fields: [child[camel(column.name)]],
          references: [parentTable[camel(column.references.column)]],
          relationName,
        }),
      );
      if (unique && table.name !== parent) {
        add(manys, parent, camel(table.name), ({ many }) => many(child));
      }
    }
  }
  for (const table of snapshot.tables) {
    const makers = { ...(ones.get(table.name) ?? {}), ...(manys.get(table.name) ?? {}) };
    if (Object.keys(makers).length === 0) continue;
    schema[`${camel(table.name)}Relations`] = relations(schema[camel(table.name)], (helpers) =>
      Object.fromEntries(Object.entries(makers).map(([name, make]) => [name, make(helpers)])),
    );
  }
  return schema;
}
