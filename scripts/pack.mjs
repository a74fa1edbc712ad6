// `npm run pack`: the tarballs a release publishes: devsecrets itself and one @devsecrets/run-<os>-<cpu> package per
// platform carrying the Go launcher of `run`, cross-compiled here. Rule: the repository's package.json and lockfile never
// name the platform packages; only the package.json staged here lists them in optionalDependencies, at exactly this
// version, so npm installs the one whose os/cpu match (as esbuild and biome do) and a clone never fetches them.
//
// Usage: node scripts/pack.mjs [--out DIR]   (after `npm run build`; prints one tarball path a line)

import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const outAt = process.argv.indexOf("--out");
const out = resolve(outAt > 0 ? process.argv[outAt + 1] : join(root, "dist", "pack"));
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));

/** npm's names for the platforms the launcher is built for, and Go's */
const PLATFORMS = [
  { os: "linux", cpu: "x64", goos: "linux", goarch: "amd64" },
  { os: "linux", cpu: "arm64", goos: "linux", goarch: "arm64" },
  { os: "darwin", cpu: "x64", goos: "darwin", goarch: "amd64" },
  { os: "darwin", cpu: "arm64", goos: "darwin", goarch: "arm64" },
];

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: ["ignore", "pipe", "inherit"], encoding: "utf8", ...options });
  if (result.error || result.status !== 0) {
    console.error(`scripts/pack.mjs: ${command} ${args.join(" ")} failed (${result.error?.code ?? result.status})`);
    process.exit(1);
  }
  return result.stdout;
}

/** packs a staged folder into `out` and returns the tarball's path */
function npmPack(folder) {
  const [made] = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", out], { cwd: folder }));
  return join(out, made.filename);
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const common = {
  version: pkg.version,
  license: pkg.license,
  repository: pkg.repository,
  bugs: pkg.bugs,
  homepage: pkg.homepage,
};
const tarballs = [];

// the platform packages: bin/devsecrets-run, statically linked (no cgo), so one binary runs on every libc
for (const platform of PLATFORMS) {
  const name = `@devsecrets/run-${platform.os}-${platform.cpu}`;
  const folder = join(out, "stage", `run-${platform.os}-${platform.cpu}`);
  mkdirSync(join(folder, "bin"), { recursive: true });
  const binary = join(folder, "bin", "devsecrets-run");
  run("go", ["build", "-trimpath", "-ldflags=-s -w", "-o", binary, "./cmd/devsecrets-run"], {
    cwd: join(root, "shims", "go"),
    env: { ...process.env, GOOS: platform.goos, GOARCH: platform.goarch, CGO_ENABLED: "0" },
  });
  chmodSync(binary, 0o755);
  // what bin/devsecrets reads without starting the binary (a fork it saves on every run): the version it was built as
  writeFileSync(`${binary}.version`, `${pkg.version}\n`);
  copyFileSync(join(root, "LICENSE"), join(folder, "LICENSE"));
  writeFileSync(
    join(folder, "README.md"),
    `# ${name}\n\nThe native launcher of \`devsecrets run\` for ${platform.os} ${platform.cpu}, installed by npm as an optional ` +
      "dependency of `devsecrets`. Not meant to be installed alone.\n",
  );
  writeFileSync(
    join(folder, "package.json"),
    `${JSON.stringify(
      {
        name,
        ...common,
        description: `devsecrets run's native launcher for ${platform.os} ${platform.cpu}`,
        os: [platform.os],
        cpu: [platform.cpu],
        files: ["bin"],
        preferUnplugged: true,
      },
      null,
      2,
    )}\n`,
  );
  tarballs.push(npmPack(folder));
}

// devsecrets itself: exactly the files npm's own packing of the repository takes (package.json "files"), with a
// package.json that names the platform packages and carries nothing of development
const folder = join(out, "stage", "devsecrets");
const [listing] = JSON.parse(run("npm", ["pack", "--dry-run", "--json"], { cwd: root }));
for (const { path } of listing.files) {
  mkdirSync(dirname(join(folder, path)), { recursive: true });
  copyFileSync(join(root, path), join(folder, path));
}
const { scripts: _scripts, devDependencies: _dev, ava: _ava, ...published } = pkg;
published.optionalDependencies = Object.fromEntries(
  PLATFORMS.map((platform) => [`@devsecrets/run-${platform.os}-${platform.cpu}`, pkg.version]),
);
writeFileSync(join(folder, "package.json"), `${JSON.stringify(published, null, 2)}\n`);
tarballs.push(npmPack(folder));

rmSync(join(out, "stage"), { recursive: true, force: true });
for (const tarball of tarballs) console.log(tarball);
