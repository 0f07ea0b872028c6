// The d1_databases entries of a wrangler config: wrangler.json / wrangler.jsonc (comments and
// trailing commas allowed, as wrangler allows them) or wrangler.toml. The TOML reader knows
// only what a [[d1_databases]] table holds, `key = "string"` lines; top-level entries only
// (an [env.<name>] section's databases are not read).
import { readFileSync } from 'node:fs';

/**
 * @param {string} file
 * @returns {{ binding: string, database_id?: string, preview_database_id?: string, migrations_dir?: string }[]}
 */
export function readWranglerD1(file) {
  const text = readFileSync(file, 'utf8');
  if (file.endsWith('.toml')) return d1FromToml(text);
  let config;
  try {
    config = JSON.parse(stripJsonComments(text));
  } catch (e) {
    throw new Error(`${file}: not JSON/JSONC: ${e.message}`);
  }
  return Array.isArray(config.d1_databases) ? config.d1_databases : [];
}

// Removes // and /* */ comments outside strings, and commas before a closing bracket.
function stripJsonComments(text) {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
    } else {
      out += c;
    }
  }
  return out.replace(/,(\s*[\]}])/g, '$1');
}

function d1FromToml(text) {
  const out = [];
  let current = null;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/^\s+|\s+$/g, '');
    if (line.startsWith('[')) {
      current = line === '[[d1_databases]]' ? {} : null;
      if (current) out.push(current);
      continue;
    }
    const kv = /^([A-Za-z_]+)\s*=\s*"([^"]*)"\s*(#.*)?$/.exec(line);
    if (current && kv) current[kv[1]] = kv[2];
  }
  return out;
}
