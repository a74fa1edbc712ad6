// The variables that change how programs run: a project the user has not trusted never sets them.
// Rule: one table, a reason per row; `run`, `env`, direnv, the shims and `explain` all ask isDangerousName.

export interface DangerousName {
  /** an exact name, or a prefix ending in "*" */
  pattern: string;
  why: string;
  /** the program reads the name in any case (npm's npm_config_*), so the table matches it in any case too */
  anyCase?: boolean;
  /**
   * a sandbox:// value is served even from an untrusted project: the daemon mints it (sandbox://aws/endpoint is its own
   * moto on loopback), so it routes nothing to an address the project chose; a literal or another scheme is withheld
   */
  sandboxServed?: boolean;
}

export const DANGEROUS_NAMES: readonly DangerousName[] = [
  {
    pattern: "LD_*",
    why: "the dynamic loader preloads or searches libraries it names (LD_PRELOAD, LD_LIBRARY_PATH, LD_AUDIT)",
  },
  { pattern: "DYLD_*", why: "macOS's dynamic loader inserts libraries it names" },
  { pattern: "NODE_OPTIONS", why: "Node runs --require/--import modules it names in every node process" },
  { pattern: "NODE_PATH", why: "Node resolves modules from folders it names" },
  { pattern: "NODE_REPL_EXTERNAL_MODULE", why: "node started without a script loads the module it names as its REPL" },
  { pattern: "PYTHONSTARTUP", why: "interactive Python runs the file it names" },
  { pattern: "PYTHONPATH", why: "Python imports modules (sitecustomize, .pth) from folders it names" },
  { pattern: "PYTHONHOME", why: "Python loads its standard library from the folder it names" },
  { pattern: "PYTHONUSERBASE", why: "Python runs the .pth files of the user site folder under it at every start" },
  { pattern: "PYTHONINSPECT", why: "Python drops into an interactive prompt after the script" },
  { pattern: "PERL5OPT", why: "perl takes command-line switches from it, -M modules included" },
  { pattern: "PERL5LIB", why: "perl loads modules from folders it names" },
  { pattern: "PERLLIB", why: "perl loads modules from folders it names (PERL5LIB's older name)" },
  { pattern: "PERL5DB", why: "perl -d runs the code it holds" },
  { pattern: "RUBYOPT", why: "ruby takes command-line switches from it, -r libraries included" },
  { pattern: "RUBYLIB", why: "ruby loads libraries from folders it names" },
  { pattern: "BASH_ENV", why: "non-interactive bash sources the file it names before running a script" },
  { pattern: "ENV", why: "sh and interactive POSIX shells source the file it names" },
  { pattern: "BASH_FUNC_*", why: "bash imports exported functions from such variables" },
  { pattern: "PROMPT_COMMAND", why: "interactive bash runs it before every prompt" },
  { pattern: "PS0", why: "interactive bash expands it, $(...) included, after reading each command" },
  { pattern: "PS1", why: "interactive shells expand the prompt, $(...) included" },
  { pattern: "PS2", why: "interactive shells expand the prompt, $(...) included" },
  { pattern: "PS3", why: "interactive shells expand the prompt, $(...) included" },
  { pattern: "PS4", why: "bash expands it, $(...) included, for every traced command" },
  { pattern: "PROMPT", why: "zsh's name for PS1: expanded, $(...) included, with prompt_subst (most themes set it)" },
  { pattern: "PROMPT2", why: "zsh's name for PS2: expanded, $(...) included, with prompt_subst" },
  { pattern: "PROMPT3", why: "zsh's name for PS3: expanded, $(...) included, with prompt_subst" },
  { pattern: "PROMPT4", why: "zsh's name for PS4: expanded, $(...) included, with prompt_subst" },
  { pattern: "RPROMPT", why: "zsh's right prompt: expanded, $(...) included, with prompt_subst" },
  { pattern: "RPROMPT2", why: "zsh's right prompt: expanded, $(...) included, with prompt_subst" },
  { pattern: "RPS1", why: "zsh's right prompt: expanded, $(...) included, with prompt_subst" },
  { pattern: "RPS2", why: "zsh's right prompt: expanded, $(...) included, with prompt_subst" },
  { pattern: "fish_*", why: "fish's own settings (fish_function_path autoloads functions, ls included, from it)" },
  { pattern: "HISTFILE", why: "the shell writes its history over the file it names when it exits (~/.bashrc, say)" },
  { pattern: "IFS", why: "changes how shells split words, and so what scripts run" },
  { pattern: "PATH", why: "chooses which program runs for every command name" },
  { pattern: "SHELLOPTS", why: "turns on bash options (xtrace, ...) in every bash started" },
  { pattern: "GIT_*", why: "git runs commands it names (GIT_SSH_COMMAND, GIT_EDITOR, GIT_EXEC_PATH, GIT_CONFIG_*)" },
  { pattern: "SSH_ASKPASS", why: "ssh runs the program it names" },
  { pattern: "EDITOR", why: "many tools run the program it names" },
  { pattern: "VISUAL", why: "many tools run the program it names" },
  { pattern: "PAGER", why: "many tools run the program it names" },
  { pattern: "BROWSER", why: "many tools run the program it names" },
  { pattern: "JAVA_TOOL_OPTIONS", why: "every JVM takes options from it, -javaagent included" },
  { pattern: "_JAVA_OPTIONS", why: "every JVM takes options from it, -javaagent included" },
  { pattern: "DOTNET_STARTUP_HOOKS", why: ".NET loads the assemblies it names" },
  { pattern: "GOFLAGS", why: "go takes flags from it (-toolexec runs a program)" },
  {
    pattern: "NPM_CONFIG_*",
    why: "npm takes settings from it in any case (npm_config_script_shell, node-options, registry)",
    anyCase: true,
  },
  { pattern: "YARN_*", why: "yarn takes settings from it (YARN_YARN_PATH runs a script in place of yarn)" },
  {
    pattern: "AWS_ENDPOINT_URL*",
    why: "the AWS CLI and SDKs (and `devsecrets login`) send your signed requests and session token to the address it names",
    sandboxServed: true,
  },
  {
    pattern: "AWS_CONFIG_FILE",
    why: "the AWS CLI and SDKs read profiles from the file it names (credential_process runs a program)",
  },
  {
    pattern: "AWS_SHARED_CREDENTIALS_FILE",
    why: "the AWS CLI and SDKs read credentials and profiles from the file it names",
  },
  { pattern: "KUBECONFIG", why: "kubectl reads clusters and credentials from it (an exec plugin runs a program)" },
  { pattern: "DOCKER_HOST", why: "docker sends every command, and your registry logins, to the daemon it names" },
  { pattern: "DOCKER_CONFIG", why: "docker reads its settings and credential helpers from the folder it names" },
  { pattern: "TF_CLI_CONFIG_FILE", why: "terraform installs providers (programs it runs) from where the file says" },
  { pattern: "GRADLE_USER_HOME", why: "gradle runs the init scripts of the folder it names in every build" },
  { pattern: "GRADLE_OPTS", why: "gradle's JVM takes options from it, -javaagent included" },
  { pattern: "MAVEN_OPTS", why: "maven's JVM takes options from it, -javaagent included" },
  { pattern: "JAVA_OPTS", why: "many Java launch scripts pass it to the JVM, -javaagent included" },
  { pattern: "IPYTHONDIR", why: "IPython runs the startup scripts of the folder it names" },
  { pattern: "JUPYTER_CONFIG_DIR", why: "Jupyter runs the Python configuration files of the folder it names" },
  { pattern: "R_PROFILE_USER", why: "R runs the file it names at every start" },
  { pattern: "PIP_*", why: "pip takes settings from it (PIP_INDEX_URL installs packages from the index it names)" },
  { pattern: "UV_*", why: "uv takes settings from it (UV_INDEX_URL installs packages from the index it names)" },
  { pattern: "BUNDLE_*", why: "bundler takes settings from it (BUNDLE_GEMFILE runs the Ruby file it names)" },
  { pattern: "GOPROXY", why: "go downloads modules and toolchains from the proxy it names" },
  { pattern: "GOSUMDB", why: "go checks downloads against the database it names (off: against nothing)" },
  { pattern: "GONOSUMDB", why: "go skips the checksum database for the modules it names" },
  { pattern: "GONOSUMCHECK", why: "go skips the checksum database for the modules it names" },
  { pattern: "GOINSECURE", why: "go fetches the modules it names over plain HTTP" },
  { pattern: "GOTOOLCHAIN", why: "go downloads and runs the toolchain it names for every go command" },
  {
    pattern: "CARGO_*",
    why: "cargo takes its configuration from it (build.rustc-wrapper, target runners run programs)",
  },
  { pattern: "RUSTC_WRAPPER", why: "cargo runs the program it names for every compile" },
  {
    pattern: "HOME",
    why: "git, shells and most tools read their configuration from it (git's core.fsmonitor runs a command)",
  },
  {
    pattern: "XDG_CONFIG_HOME",
    why: "git and many tools read their configuration from it (git's core.fsmonitor runs a command on `git status`)",
  },
  { pattern: "ZDOTDIR", why: "zsh sources .zshenv and its other startup files from the folder it names" },
  { pattern: "LESSOPEN", why: "less runs the command it names for every file it opens" },
  { pattern: "LESSCLOSE", why: "less runs the command it names for every file it closes" },
  { pattern: "MANPAGER", why: "man runs the program it names" },
  { pattern: "SUDO_ASKPASS", why: "sudo -A runs the program it names" },
  { pattern: "GCONV_PATH", why: "glibc's iconv loads shared libraries from the folders it names" },
  { pattern: "LUA_INIT*", why: "lua runs the code (or the @file) it holds before any script" },
  { pattern: "PHPRC", why: "php reads its ini from it (auto_prepend_file runs code)" },
  { pattern: "PHP_INI_SCAN_DIR", why: "php reads ini files from the folders it names (auto_prepend_file runs code)" },
  {
    pattern: "VAULT_*",
    why: "Vault clients (devsecrets login, vault) send your token to the address it names and trust the CA it names",
  },
  {
    pattern: "BAO_*",
    why: "OpenBao clients (devsecrets login, bao) send your token to the address it names and trust the CA it names",
  },
  { pattern: "HTTPS_PROXY", why: "HTTP clients send their requests through the proxy it names", anyCase: true },
  { pattern: "HTTP_PROXY", why: "HTTP clients send their requests through the proxy it names", anyCase: true },
  { pattern: "ALL_PROXY", why: "curl and others send their requests through the proxy it names", anyCase: true },
  { pattern: "NODE_USE_ENV_PROXY", why: "Node's fetch and http send requests through the proxies of the environment" },
  {
    pattern: "NODE_TLS_REJECT_UNAUTHORIZED",
    why: "0 turns off Node's certificate checks: anyone on the way reads TLS",
  },
  { pattern: "NODE_EXTRA_CA_CERTS", why: "Node trusts the certificate authorities it names for every TLS connection" },
  { pattern: "SSL_CERT_FILE", why: "OpenSSL, curl and Python trust the certificate authorities it names" },
  { pattern: "SSL_CERT_DIR", why: "OpenSSL trusts the certificate authorities in the folder it names" },
  { pattern: "REQUESTS_CA_BUNDLE", why: "Python's requests trusts the certificate authorities it names" },
  { pattern: "CURL_CA_BUNDLE", why: "curl trusts the certificate authorities it names" },
  { pattern: "DEVSECRETS_*", why: "devsecrets' own settings: a project must not steer where its values come from" },
];

/** the row that makes `name` dangerous, or undefined */
export function dangerousName(name: string): DangerousName | undefined {
  const upper = name.toUpperCase();
  return DANGEROUS_NAMES.find((row) => {
    const subject = row.anyCase ? upper : name;
    return row.pattern.endsWith("*") ? subject.startsWith(row.pattern.slice(0, -1)) : subject === row.pattern;
  });
}
