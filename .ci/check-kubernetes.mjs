// Validates Kubernetes manifests against the API's JSON schemas (npm kubernetes-models, generated from the
// Kubernetes OpenAPI document): types, required fields, enums and formats of every document in every file.
// Usage: node check-kubernetes.mjs FILE... ; exits 1 and names each error when a document is invalid.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

let failures = 0;
let checked = 0;
for (const file of process.argv.slice(2)) {
  for (const doc of parseAllDocuments(readFileSync(file, "utf8"))) {
    if (doc.errors.length > 0) {
      console.error(`${file}: not YAML: ${doc.errors.map((e) => e.message).join("; ")}`);
      failures++;
      continue;
    }
    const manifest = doc.toJS();
    if (manifest === null) {
      continue;
    }
    const where = `${file}: ${manifest.kind ?? "?"} ${manifest.metadata?.name ?? "?"}`;
    const [group, version] = String(manifest.apiVersion ?? "").includes("/")
      ? manifest.apiVersion.split("/")
      : [null, manifest.apiVersion];
    const module = `kubernetes-models/${group ? group + "/" : ""}${version}/${manifest.kind}`;
    let Model;
    try {
      Model = (await import(module))[manifest.kind];
    } catch {
      console.error(`${where}: unknown apiVersion/kind ${manifest.apiVersion}/${manifest.kind}`);
      failures++;
      continue;
    }
    try {
      new Model(manifest).validate();
      checked++;
    } catch (e) {
      console.error(`${where}: ${e.message}`);
      failures++;
    }
  }
}
if (failures > 0) {
  process.exit(1);
}
console.log(`kubernetes manifests: ${checked} documents valid`);
