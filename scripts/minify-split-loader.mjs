// Minifies the split loader (`pkg/__wasm_split.*.js`) that cargo-leptos writes as it is
// generated: every first visit downloads it, and cargo-leptos minifies the wasm-bindgen glue but
// not this file (11.5 KB raw, 1.6 KB brotli; minified 5.4 KB, 1.2 KB brotli). Run by `make build`
// and `make site` after `cargo leptos build`. Rewrites the precompressed copies when the build made
// them (`--precompress`). The file keeps its name: it is the hash of the unminified text, and the
// same text always minifies to the same output. See docs/decisions.md, "Bundle size".
//
// Usage: node scripts/minify-split-loader.mjs <pkg dir>
import { readdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, gzipSync, constants } from "node:zlib";
import { minify } from "terser";

const dir = process.argv[2];
if (!dir) {
  console.error("usage: minify-split-loader.mjs <pkg dir>");
  process.exit(2);
}
const loaders = readdirSync(dir).filter((n) => /^__wasm_split\.[A-Za-z0-9_-]+\.js$/.test(n));
for (const name of loaders) {
  const path = join(dir, name);
  const source = readFileSync(path, "utf8");
  const out = await minify(source, { module: true, compress: { passes: 2 }, mangle: true });
  if (typeof out.code !== "string" || out.code.length === 0) {
    throw new Error(`terser returned nothing for ${name}`);
  }
  if (out.code.length >= source.length) continue; // already minified (a second run)
  writeFileSync(path, out.code);
  if (existsSync(`${path}.br`)) {
    writeFileSync(
      `${path}.br`,
      brotliCompressSync(out.code, {
        params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: out.code.length },
      }),
    );
  }
  if (existsSync(`${path}.gz`)) writeFileSync(`${path}.gz`, gzipSync(out.code, { level: 9 }));
  console.log(`minified ${name}: ${source.length} -> ${out.code.length} bytes`);
}
