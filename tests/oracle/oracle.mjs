// The DuckDB oracle for dfc's Nexmark jobs.
//
//   node oracle.mjs --data DIR --query queries/q5.sql [--out FILE]
//
// Loads DIR/person.csv, DIR/auction.csv and DIR/bid.csv (as written by bench/nexmark_export: no
// header, nexmark-flink column order, timestamps as epoch milliseconds) into the tables person,
// auction and bid — dateTime/expires stay BIGINT epoch milliseconds, so window arithmetic in the
// queries is exact integer arithmetic — runs the query file (one or more statements; the rows of
// the last one are printed) and prints every result row as one CSV line, lines sorted bytewise
// (as `LC_ALL=C sort`), so a test can diff them against a dfc job's sorted CSV output.
//
// Value formatting follows dfc's CSV format (runtime/api/dfc/connectors.h): integers in decimal,
// booleans true/false, DOUBLE in Java's Double.toString layout over the shortest round-trip digits,
// TIMESTAMP as `YYYY-MM-DD HH:MM:SS.fff` (UTC, Flink's SQL form: queries turn the BIGINT millis of a
// TIMESTAMP(3) output column back into a TIMESTAMP with epoch_ms()), strings quoted only when they hold ',', '"', CR or LF, NULL as
// an empty field.
import { DuckDBInstance, DuckDBTimestampValue, DuckDBDecimalValue } from '@duckdb/node-api';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const SCHEMAS = {
  person: {
    id: 'BIGINT', name: 'VARCHAR', emailAddress: 'VARCHAR', creditCard: 'VARCHAR',
    city: 'VARCHAR', state: 'VARCHAR', dateTime: 'BIGINT', extra: 'VARCHAR',
  },
  auction: {
    id: 'BIGINT', itemName: 'VARCHAR', description: 'VARCHAR', initialBid: 'BIGINT',
    reserve: 'BIGINT', dateTime: 'BIGINT', expires: 'BIGINT', seller: 'BIGINT',
    category: 'BIGINT', extra: 'VARCHAR',
  },
  bid: {
    auction: 'BIGINT', bidder: 'BIGINT', price: 'BIGINT', channel: 'VARCHAR', url: 'VARCHAR',
    dateTime: 'BIGINT', extra: 'VARCHAR',
  },
};

function usage(msg) {
  if (msg) process.stderr.write(`oracle: ${msg}\n`);
  process.stderr.write('usage: node oracle.mjs --data DIR --query FILE.sql [--out FILE]\n');
  process.exit(2);
}

function parseArgs(argv) {
  const a = {};
  for (let i = 0; i < argv.length; ++i) {
    const k = argv[i];
    if (k === '--data' || k === '--query' || k === '--out') {
      if (i + 1 >= argv.length) usage(`${k} needs a value`);
      a[k.slice(2)] = argv[++i];
    } else if (k === '--help' || k === '-h') {
      usage();
    } else {
      usage(`unknown argument '${k}'`);
    }
  }
  if (!a.data || !a.query) usage('--data and --query are required');
  return a;
}

// Java's Double.toString layout: plain with at least one fractional digit for 1e-3 <= |v| < 1e7,
// else d.dddE<exp>; digits are the shortest that round-trip (JS toExponential() gives them).
export function javaDouble(v) {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  if (v === 0) return Object.is(v, -0) ? '-0.0' : '0.0';
  const sign = v < 0 ? '-' : '';
  const [mant, expText] = Math.abs(v).toExponential().split('e');
  const exp = parseInt(expText, 10);
  const digits = mant.replace('.', '');
  const abs = Math.abs(v);
  if (abs >= 1e-3 && abs < 1e7) {
    let intPart, frac;
    if (exp >= 0) {
      const padded = digits.padEnd(exp + 1, '0');
      intPart = padded.slice(0, exp + 1);
      frac = padded.slice(exp + 1);
    } else {
      intPart = '0';
      frac = '0'.repeat(-exp - 1) + digits;
    }
    return `${sign}${intPart}.${frac === '' ? '0' : frac}`;
  }
  const frac = digits.slice(1);
  return `${sign}${digits[0]}.${frac === '' ? '0' : frac}E${exp}`;
}

function csvString(s) {
  if (!/[",\r\n]/.test(s)) return s;
  return '"' + s.replaceAll('"', '""') + '"';
}

function formatValue(v) {
  if (v === null || v === undefined) return '';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return javaDouble(v);
  if (typeof v === 'string') return csvString(v);
  if (v instanceof DuckDBTimestampValue) {
    // Epoch microseconds -> milliseconds, floor.
    const us = v.micros;
    const ms = us >= 0n ? us / 1000n : -((-us + 999n) / 1000n);
    return new Date(Number(ms)).toISOString().replace('T', ' ').replace('Z', '');
  }
  if (v instanceof DuckDBDecimalValue) return v.toString();
  return csvString(String(v));
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
  const conn = await instance.connect();
  for (const [table, cols] of Object.entries(SCHEMAS)) {
    const path = join(args.data, `${table}.csv`).replaceAll("'", "''");
    const colSpec = Object.entries(cols).map(([n, t]) => `'${n}': '${t}'`).join(', ');
    await conn.run(
      `CREATE TABLE ${table} AS SELECT * FROM read_csv('${path}', header = false, delim = ',', ` +
        `quote = '"', escape = '"', auto_detect = false, columns = {${colSpec}})`);
  }
  const sql = readFileSync(args.query, 'utf8');
  const statements = await conn.extractStatements(sql);
  let reader = null;
  for (let i = 0; i < statements.count; ++i) {
    const prepared = await statements.prepare(i);
    reader = await prepared.runAndReadAll();
  }
  if (!reader) usage(`no statement in ${args.query}`);
  const lines = reader.getRows().map((row) => row.map(formatValue).join(','));
  // Bytewise order (the text is ASCII, so UTF-16 code unit order is byte order).
  lines.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const text = lines.length ? lines.join('\n') + '\n' : '';
  if (args.out) {
    writeFileSync(args.out, text);
  } else {
    process.stdout.write(text);
  }
}

main().catch((e) => {
  process.stderr.write(`oracle: ${e && e.stack ? e.stack : e}\n`);
  process.exit(1);
});
