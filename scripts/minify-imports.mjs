// Shortens the names the wasm imports its JS glue under, and the names it exports, in both
// files, after wasm-opt. wasm-bindgen names each import `__wbg_<name>_<16 hex digits>`, and
// the `.wasm` and the glue both spell every one out: about 108 names, whose random hex
// suffixes gzip cannot compress. They become `a`, `b`, ..., `ba`, ... in the import section
// and as keys of the glue's import object. Only names the glue defines as `name: function(`
// keys of that object are renamed; the script fails if any import is left without its
// definition. Exports (closure invokers named after their full Rust types, up to 250
// characters, `authclient_*`, ...) are renamed the same way wherever the glue reads them as
// `wasm.<name>`, except `memory`; the script fails if one is read any other way. (The
// exports object that `init()` resolves to then has the short names: it is not API.)
//
// usage: node scripts/minify-imports.mjs pkg/okta_auth_wasm_bg.wasm pkg/okta_auth_wasm.js
import { readFileSync, writeFileSync } from 'node:fs';

const [wasmPath, jsPath] = process.argv.slice(2);
const wasm = readFileSync(wasmPath);
let js = readFileSync(jsPath, 'utf8');

function leb(buf, pos) {
  let value = 0, shift = 0, byte;
  do {
    byte = buf[pos++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return [value, pos];
}
function encodeLeb(value) {
  const out = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value) byte |= 0x80;
    out.push(byte);
  } while (value);
  return Buffer.from(out);
}
const name = (s) => Buffer.concat([encodeLeb(Buffer.byteLength(s)), Buffer.from(s)]);
const short = (i) => {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  let s = '';
  do {
    s = letters[i % 26] + s;
    i = Math.floor(i / 26);
  } while (i);
  return s;
};

const parts = [wasm.subarray(0, 8)];
const renames = new Map();
const exportRenames = new Map();
let pos = 8;
while (pos < wasm.length) {
  const id = wasm[pos];
  const [size, body] = leb(wasm, pos + 1);
  const end = body + size;
  if (id === 7) {
    // The export section: name, kind, index.
    let p = body;
    let count;
    [count, p] = leb(wasm, p);
    const entries = [encodeLeb(count)];
    for (let i = 0; i < count; i++) {
      let len;
      [len, p] = leb(wasm, p);
      const field = wasm.toString('utf8', p, p + len);
      p += len;
      const descStart = p;
      p++;
      [, p] = leb(wasm, p);
      let newField = field;
      if (field !== 'memory') {
        newField = short(exportRenames.size);
        exportRenames.set(field, newField);
      }
      entries.push(name(newField), wasm.subarray(descStart, p));
    }
    if (p !== end) throw new Error('export section not fully parsed');
    const section = Buffer.concat(entries);
    parts.push(Buffer.from([7]), encodeLeb(section.length), section);
    pos = end;
    continue;
  }
  if (id !== 2) {
    parts.push(wasm.subarray(pos, end));
    pos = end;
    continue;
  }
  // The import section: module name, field name, then the kind's description, copied as is.
  let p = body;
  let count;
  [count, p] = leb(wasm, p);
  const entries = [encodeLeb(count)];
  for (let i = 0; i < count; i++) {
    let len;
    [len, p] = leb(wasm, p);
    const module = wasm.toString('utf8', p, p + len);
    p += len;
    [len, p] = leb(wasm, p);
    const field = wasm.toString('utf8', p, p + len);
    p += len;
    const descStart = p;
    const kind = wasm[p++];
    if (kind === 0) [, p] = leb(wasm, p); // function: type index
    else if (kind === 1) { p++; const flags = wasm[p++]; [, p] = leb(wasm, p); if (flags & 1) [, p] = leb(wasm, p); } // table
    else if (kind === 2) { const flags = wasm[p++]; [, p] = leb(wasm, p); if (flags & 1) [, p] = leb(wasm, p); } // memory
    else if (kind === 3) p += 2; // global: type, mutability
    else throw new Error(`import kind ${kind} not handled`);
    let newField = field;
    if (field.startsWith('__wbg') || field.startsWith('__wbindgen')) {
      if (!renames.has(field)) renames.set(field, short(renames.size));
      newField = renames.get(field);
    }
    entries.push(name(module), name(newField), wasm.subarray(descStart, p));
  }
  if (p !== end) throw new Error('import section not fully parsed');
  const section = Buffer.concat(entries);
  parts.push(Buffer.from([2]), encodeLeb(section.length), section);
  pos = end;
}

for (const [from, to] of renames) {
  const key = new RegExp(`(^|[{,\\s])${from}(\\s*:\\s*function\\s*\\()`, 'g');
  const matches = js.match(key)?.length ?? 0;
  if (matches !== 1) throw new Error(`${from}: ${matches} definitions in ${jsPath}, expected 1`);
  js = js.replace(key, `$1${to}$2`);
  if (js.includes(from)) throw new Error(`${from} is still used elsewhere in ${jsPath}`);
}

const escape = (s) => s.replace(/[$]/g, '\\$&');
for (const [from, to] of exportRenames) {
  const read = new RegExp(`\\bwasm\\.${escape(from)}(?![\\w$])`, 'g');
  js = js.replace(read, `wasm.${to}`);
  const other = new RegExp(`(['"\`])${escape(from)}\\1|\\[\\s*['"\`]${escape(from)}`);
  if (other.test(js)) throw new Error(`export ${from} is read by name in ${jsPath}`);
}

writeFileSync(wasmPath, Buffer.concat(parts));
writeFileSync(jsPath, js);
console.log(`minify-imports: ${renames.size} import and ${exportRenames.size} export names shortened`);
