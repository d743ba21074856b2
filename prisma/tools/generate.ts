// Copies the single model source into both provider folders and generates both clients.
// `--check` writes nothing and exits 1 when a provider copy differs from the source.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const PROVIDERS = {
  sqlite: "file:./data/kaiqu.db",
  postgresql: "postgresql://postgres@127.0.0.1:5432/test",
} as const;
const HEADER =
  "// GENERATED from prisma/models.prisma by `npm run db:generate` — edit that file, not this one.\n";

export function providerModelsPath(provider: keyof typeof PROVIDERS): string {
  return path.join(root, "prisma", provider, "schema", "models.prisma");
}

export function expectedModels(): string {
  return HEADER + readFileSync(path.join(root, "prisma", "models.prisma"), "utf8");
}

function main(): void {
  const check = process.argv.includes("--check");
  const expected = expectedModels();
  let drift = false;
  for (const provider of Object.keys(PROVIDERS) as (keyof typeof PROVIDERS)[]) {
    const file = providerModelsPath(provider);
    let current = "";
    try {
      current = readFileSync(file, "utf8");
    } catch {}
    if (current !== expected) {
      if (check) {
        console.error(
          `${path.relative(root, file)} differs from prisma/models.prisma — run npm run db:generate`,
        );
        drift = true;
        continue;
      }
      writeFileSync(file, expected);
    }
    if (!check) {
      execFileSync(path.join(root, "node_modules", ".bin", "prisma"), ["generate"], {
        cwd: root,
        stdio: ["ignore", "inherit", "inherit"],
        env: { ...process.env, DATABASE_URL: PROVIDERS[provider], PRISMA_HIDE_UPDATE_MESSAGE: "1" },
      });
    }
  }
  if (drift) process.exit(1);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) main();
