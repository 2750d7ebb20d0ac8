/**
 * Compact JSON for models: long numeric arrays (tree nodes, weights) become
 * base64 of their binary form — int32, float32 when every value is exactly a
 * float32 (tree thresholds, leaf values), float64 otherwise — so an artifact
 * stays small and loads fast, and decoding gives back exactly the same numbers.
 */
const PACK_ABOVE = 64;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;

export function toBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i]!;
    const b = i + 1 < bytes.length ? bytes[i + 1]! : 0;
    const c = i + 2 < bytes.length ? bytes[i + 2]! : 0;
    const n = (a << 16) | (b << 8) | c;
    out += ALPHABET[(n >> 18) & 63]! + ALPHABET[(n >> 12) & 63]! + (i + 1 < bytes.length ? ALPHABET[(n >> 6) & 63]! : '=') + (i + 2 < bytes.length ? ALPHABET[n & 63]! : '=');
  }
  return out;
}

export function fromBase64(text: string): Uint8Array {
  const clean = text.replace(/=+$/, '');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let bits = 0;
  let value = 0;
  let at = 0;
  for (let i = 0; i < clean.length; i++) {
    const v = LOOKUP[clean.charCodeAt(i)] ?? -1;
    if (v < 0) throw new Error(`invalid base64 character at ${i}`);
    value = (value << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[at++] = (value >> bits) & 0xff;
    }
  }
  return out;
}

function isIntArray(values: number[]) {
  for (const v of values) if (!Number.isInteger(v) || v < -2147483648 || v > 2147483647) return false;
  return true;
}

function isFloat32Array(values: number[]) {
  for (const v of values) if (Math.fround(v) !== v) return false;
  return true;
}

export function pack(value: unknown): unknown {
  if (Array.isArray(value)) {
    if (value.length > PACK_ABOVE && value.every((v) => typeof v === 'number')) {
      const nums = value as number[];
      if (isIntArray(nums)) return { $i32: toBase64(new Uint8Array(Int32Array.from(nums).buffer)) };
      if (isFloat32Array(nums)) return { $f32: toBase64(new Uint8Array(Float32Array.from(nums).buffer)) };
      return { $f64: toBase64(new Uint8Array(Float64Array.from(nums).buffer)) };
    }
    return value.map(pack);
  }
  if (value instanceof Float32Array || value instanceof Float64Array || value instanceof Int32Array || value instanceof Int8Array) return pack(Array.from(value));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, pack(v)]));
  return value;
}

export function unpack(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unpack);
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    const bytes = (key: string) => {
      const b = fromBase64(o[key] as string);
      return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
    };
    if (typeof o.$i32 === 'string') return Array.from(new Int32Array(bytes('$i32')));
    if (typeof o.$f32 === 'string') return Array.from(new Float32Array(bytes('$f32')));
    if (typeof o.$f64 === 'string') return Array.from(new Float64Array(bytes('$f64')));
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, unpack(v)]));
  }
  return value;
}
