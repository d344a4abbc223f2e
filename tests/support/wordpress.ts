import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A real, private WordPress for the publishing tests: a MariaDB of its own on a
 * Unix socket (no TCP), a copy of Debian's WordPress in a temp folder, and PHP's
 * built-in web server on 127.0.0.1. Nothing system-wide is touched or started.
 *
 * Needs the Debian packages `wordpress php-cli php-mysql mariadb-server` (see
 * .ci/run); without them startWordPress() says so and the tests skip, loudly.
 */

export type WordPressSite = {
  /** e.g. http://127.0.0.1:40123 (no trailing slash). */
  url: string;
  username: string;
  /** An Application Password for `username`, as the REST API wants it. */
  appPassword: string;
  /** The admin's login password (wp-login.php; the REST API does not take it). */
  adminPassword: string;
  /** The WordPress folder (document root), e.g. to take the Galley plugin out. */
  dir: string;
  /** Whether XML-RPC can work: PHP's xml extension (package php-xml) is loaded. */
  xmlRpc: boolean;
  stop(): Promise<void>;
  /** Runs a PHP snippet with wp-load.php loaded (as the admin) and returns what it printed. */
  php(code: string): string;
};

const WORDPRESS_SOURCE = process.env.GALLEY_WORDPRESS_DIR || '/usr/share/wordpress';
const PLUGIN = fileURLToPath(new URL('../../electron/cms/wordpress-plugin/galley.php', import.meta.url));
const PACKAGES = 'wordpress php-cli php-mysql mariadb-server';

function which(name: string, extra: string[] = []): string | null {
  const dirs = [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/usr/bin', '/sbin', '/bin', ...extra];
  for (const dir of dirs) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return null;
}

type Tools = { php: string; mariadbd: string; installDb: string };

/** What is missing, in words that say what to install; null when everything is there. */
function findTools(): Tools | { missing: string } {
  const php = which('php');
  const mariadbd = which('mariadbd') ?? which('mysqld');
  const installDb = which('mariadb-install-db') ?? which('mysql_install_db');
  const missing: string[] = [];
  if (!existsSync(join(WORDPRESS_SOURCE, 'wp-load.php'))) missing.push(`WordPress (${WORDPRESS_SOURCE}/wp-load.php; package wordpress)`);
  if (!php) missing.push('php (package php-cli)');
  if (!mariadbd || !installDb) missing.push('mariadbd and mariadb-install-db (package mariadb-server)');
  if (php) {
    try {
      const loaded = execFileSync(php, ['-r', 'echo extension_loaded("mysqli") ? "yes" : "no";'], { encoding: 'utf8', timeout: 10_000 });
      if (loaded.trim() !== 'yes') missing.push("PHP's mysqli extension (package php-mysql)");
    } catch (error) {
      missing.push(`a working php (${(error as Error).message.split('\n')[0]})`);
    }
  }
  if (missing.length > 0) {
    return { missing: `No WordPress to test against: missing ${missing.join(', ')}. Install with: apt-get install ${PACKAGES}` };
  }
  return { php: php!, mariadbd: mariadbd!, installDb: installDb! };
}

/**
 * Why the WordPress tests cannot run here (naming the packages to install), or null.
 * Synchronous, for `describe.skipIf` at collection time.
 */
export function wordPressUnavailable(): string | null {
  const tools = findTools();
  return 'missing' in tools ? tools.missing : null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function tail(file: string, chars = 3000): string {
  try {
    const text = readFileSync(file, 'utf8');
    return text.length > chars ? `…${text.slice(-chars)}` : text;
  } catch {
    return '(no log)';
  }
}

function alive(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

function phpString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function run(file: string, args: string[], what: string, log: string, timeout = 60_000): string {
  try {
    return execFileSync(file, args, { encoding: 'utf8', timeout, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const e = error as Error & { stdout?: string; stderr?: string };
    throw new Error(`${what} failed: ${e.message.split('\n')[0]}\n${e.stdout ?? ''}${e.stderr ?? ''}${log ? `\n--- ${log}:\n${tail(log)}` : ''}`);
  }
}

/**
 * Starts WordPress; takes a few seconds. Start it once per test file (beforeAll)
 * and stop it in afterAll. Returns { skipped } when the packages are missing.
 */
export async function startWordPress(): Promise<WordPressSite | { skipped: string }> {
  const tools = findTools();
  if ('missing' in tools) return { skipped: tools.missing };

  // A short path: a Unix socket's path must stay under 108 bytes.
  const base = tmpdir().length < 60 ? tmpdir() : '/tmp';
  const root = mkdtempSync(join(base, 'galley-wp-'));
  const dataDir = join(root, 'mysql');
  const socket = join(root, 'mysql.sock');
  const mysqlLog = join(root, 'mysqld.log');
  const phpLog = join(root, 'php-server.log');
  const phpErrors = join(root, 'php-errors.log');
  const wpDir = join(root, 'wordpress');

  let mariadb: ChildProcess | null = null;
  let server: ChildProcess | null = null;
  let watchdog: ChildProcess | null = null;

  const stop = async () => {
    if (server?.pid && alive(server)) {
      const exited = new Promise((resolve) => server!.once('exit', resolve));
      try {
        process.kill(-server.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      await Promise.race([exited, sleep(3000)]);
      try {
        process.kill(-server.pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    if (mariadb?.pid && alive(mariadb)) {
      const exited = new Promise((resolve) => mariadb!.once('exit', resolve));
      mariadb.kill('SIGTERM');
      await Promise.race([exited, sleep(10_000)]);
      if (alive(mariadb)) mariadb.kill('SIGKILL');
    }
    if (watchdog?.pid && alive(watchdog)) watchdog.kill('SIGKILL');
    rmSync(root, { recursive: true, force: true });
  };

  // mariadbd refuses to run as root unless told to; as anyone else it runs as that user.
  const asRoot = process.getuid?.() === 0 ? ['--user=root'] : [];

  try {
    // 1. A private MariaDB on a socket only.
    run(
      tools.installDb,
      ['--no-defaults', `--datadir=${dataDir}`, '--auth-root-authentication-method=normal', ...asRoot, '--skip-test-db', '--skip-name-resolve'],
      'mariadb-install-db',
      '',
    );
    const mysqlOut = openSync(mysqlLog, 'a');
    mariadb = spawn(
      tools.mariadbd,
      [
        '--no-defaults',
        `--datadir=${dataDir}`,
        `--socket=${socket}`,
        '--skip-networking',
        `--pid-file=${join(root, 'mysqld.pid')}`,
        ...asRoot,
        `--log-error=${mysqlLog}`,
        '--skip-log-bin',
        '--innodb-buffer-pool-size=32M',
        '--innodb-flush-log-at-trx-commit=0',
        '--skip-name-resolve',
      ],
      { stdio: ['ignore', mysqlOut, mysqlOut] },
    );
    closeSync(mysqlOut);

    // If this test process dies without stop(), take the servers and the folder with it.
    watchdog = spawn(
      '/bin/sh',
      [
        '-c',
        `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; kill ${mariadb.pid} 2>/dev/null; [ -f "$1" ] && kill -- -$(cat "$1") 2>/dev/null; sleep 5; rm -rf "$2"`,
        'galley-wp-watchdog',
        join(root, 'php-server.pid'),
        root,
      ],
      { detached: true, stdio: 'ignore' },
    );
    watchdog.unref();

    const dbPassword = randomBytes(12).toString('hex');
    const connect = `$db = @new mysqli('localhost', 'root', '', null, 0, ${phpString(socket)});`;
    const startedAt = Date.now();
    for (;;) {
      if (!alive(mariadb)) throw new Error(`mariadbd exited (${mariadb.exitCode ?? mariadb.signalCode})`);
      if (existsSync(socket)) {
        try {
          execFileSync(tools.php, ['-r', `${connect} if ($db->connect_errno) exit(1);`], { stdio: 'ignore', timeout: 10_000 });
          break;
        } catch {
          // not ready yet
        }
      }
      if (Date.now() - startedAt > 30_000) throw new Error('mariadbd did not accept connections within 30 s');
      await sleep(100);
    }
    run(
      tools.php,
      [
        '-r',
        `${connect}
        if ($db->connect_errno) { fwrite(STDERR, $db->connect_error); exit(1); }
        foreach ([
          "CREATE DATABASE wordpress CHARACTER SET utf8mb4",
          "CREATE USER 'wordpress'@'localhost' IDENTIFIED BY '${dbPassword}'",
          "GRANT ALL PRIVILEGES ON wordpress.* TO 'wordpress'@'localhost'",
        ] as $sql) { if (!$db->query($sql)) { fwrite(STDERR, $db->error); exit(1); } }`,
      ],
      'creating the database',
      mysqlLog,
    );

    // 2. WordPress: Debian's tree has symlinks into /etc and /var/lib; copy what they point at.
    // wp-content gets only its themes: the translations (30 MB) and plugins are not needed.
    mkdirSync(join(wpDir, 'wp-content', 'uploads'), { recursive: true });
    const entries = readdirSync(WORDPRESS_SOURCE).filter((name) => name !== 'wp-content' && name !== '.htaccess' && name !== 'wp-config.php');
    run('cp', ['-rL', ...entries.map((name) => join(WORDPRESS_SOURCE, name)), wpDir], 'copying WordPress', '');
    run('cp', ['-rL', join(WORDPRESS_SOURCE, 'wp-content', 'themes'), join(wpDir, 'wp-content')], 'copying WordPress themes', '');
    mkdirSync(join(wpDir, 'wp-content', 'mu-plugins'), { recursive: true });
    copyFileSync(PLUGIN, join(wpDir, 'wp-content', 'mu-plugins', 'galley.php'));

    let port = await freePort();
    let url = `http://127.0.0.1:${port}`;
    const salts = ['AUTH_KEY', 'SECURE_AUTH_KEY', 'LOGGED_IN_KEY', 'NONCE_KEY', 'AUTH_SALT', 'SECURE_AUTH_SALT', 'LOGGED_IN_SALT', 'NONCE_SALT']
      .map((name) => `define('${name}', '${randomBytes(24).toString('hex')}');`)
      .join('\n');
    const writeConfig = () =>
      writeFileSync(
        join(wpDir, 'wp-config.php'),
        `<?php
// Written by tests/support/wordpress.ts (replaces Debian's, which reads /etc/wordpress).
define('DB_NAME', 'wordpress');
define('DB_USER', 'wordpress');
define('DB_PASSWORD', '${dbPassword}');
define('DB_HOST', ${phpString(`localhost:${socket}`)});
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');
${salts}
$table_prefix = 'wp_';
// Application Passwords need HTTPS or a local environment.
define('WP_ENVIRONMENT_TYPE', 'local');
define('WP_HOME', '${url}');
define('WP_SITEURL', '${url}');
// Nothing leaves this machine.
define('WP_HTTP_BLOCK_EXTERNAL', true);
define('AUTOMATIC_UPDATER_DISABLED', true);
define('WP_AUTO_UPDATE_CORE', false);
define('DISABLE_WP_CRON', true);
define('FS_METHOD', 'direct');
define('WP_DEBUG', false);
if (!defined('ABSPATH')) define('ABSPATH', __DIR__ . '/');
require_once ABSPATH . 'wp-settings.php';
`,
      );
    writeConfig();

    // 3. Install: the site, pretty permalinks (for /wp-json/), an Application Password.
    const adminPassword = `Admin-${randomBytes(9).toString('base64url')}!`;
    const installScript = join(root, 'install.php');
    writeFileSync(
      installScript,
      `<?php
define('WP_INSTALLING', true);
$_SERVER['HTTP_HOST'] = '127.0.0.1';
require ${phpString(join(wpDir, 'wp-load.php'))};
// No e-mail on this machine: skip the "your new site" message.
function wp_new_blog_notification() {}
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
$result = wp_install('Galley test site', 'admin', 'admin@example.org', false, '', wp_slash(${phpString(adminPassword)}), '');
if (is_wp_error($result)) { fwrite(STDERR, $result->get_error_message()); exit(1); }
$user_id = (int) $result['user_id'];
wp_update_user(['ID' => $user_id, 'display_name' => 'Site Admin', 'first_name' => 'Site', 'last_name' => 'Admin']);
update_option('permalink_structure', '/%postname%/');
update_option('timezone_string', 'Europe/London');
$created = WP_Application_Passwords::create_new_application_password($user_id, ['name' => 'Galley tests']);
if (is_wp_error($created)) { fwrite(STDERR, $created->get_error_message()); exit(1); }
echo json_encode(['userId' => $user_id, 'appPassword' => $created[0]]);
`,
    );
    const installed = JSON.parse(run(tools.php, ['-d', 'display_errors=stderr', installScript], 'installing WordPress', mysqlLog).trim()) as {
      userId: number;
      appPassword: string;
    };

    // 4. PHP's built-in server, in its own process group so stop() ends its workers too.
    const router = join(root, 'router.php');
    writeFileSync(
      router,
      `<?php
// Like Apache with "CGIPassAuth On": hand Basic credentials to PHP even if the SAPI did not.
if (!isset($_SERVER['PHP_AUTH_USER']) && !empty($_SERVER['HTTP_AUTHORIZATION'])
    && preg_match('/^Basic\\s+(.+)$/i', $_SERVER['HTTP_AUTHORIZATION'], $m)) {
  $pair = explode(':', (string) base64_decode($m[1]), 2);
  if (count($pair) === 2) { [$_SERVER['PHP_AUTH_USER'], $_SERVER['PHP_AUTH_PW']] = $pair; }
}
$path = urldecode((string) parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH));
$file = $_SERVER['DOCUMENT_ROOT'] . $path;
if ($path !== '/' && is_file($file)) {
  if (substr($file, -4) !== '.php') return false; // a static file
  $_SERVER['SCRIPT_NAME'] = $_SERVER['PHP_SELF'] = $path;
  $_SERVER['SCRIPT_FILENAME'] = $file;
  chdir(dirname($file));
  require $file;
  return true;
}
if ($path !== '/' && is_dir($file) && is_file(rtrim($file, '/') . '/index.php')) {
  $file = rtrim($file, '/') . '/index.php';
  $_SERVER['SCRIPT_NAME'] = $_SERVER['PHP_SELF'] = rtrim($path, '/') . '/index.php';
  $_SERVER['SCRIPT_FILENAME'] = $file;
  chdir(dirname($file));
  require $file;
  return true;
}
// Everything else is a pretty permalink or /wp-json/…: WordPress's front controller.
$_SERVER['SCRIPT_NAME'] = $_SERVER['PHP_SELF'] = '/index.php';
$_SERVER['SCRIPT_FILENAME'] = $_SERVER['DOCUMENT_ROOT'] . '/index.php';
chdir($_SERVER['DOCUMENT_ROOT']);
require $_SERVER['DOCUMENT_ROOT'] . '/index.php';
`,
    );

    let lastError = '';
    for (let attempt = 0; attempt < 3 && !server; attempt++) {
      if (attempt > 0) {
        port = await freePort();
        url = `http://127.0.0.1:${port}`;
        writeConfig();
      }
      const out = openSync(phpLog, 'a');
      const child = spawn(
        tools.php,
        [
          '-d', 'display_errors=0',
          '-d', 'log_errors=1',
          '-d', `error_log=${phpErrors}`,
          '-d', 'upload_max_filesize=64M',
          '-d', 'post_max_size=64M',
          '-d', 'memory_limit=256M',
          '-S', `127.0.0.1:${port}`,
          '-t', wpDir,
          router,
        ],
        // Several workers: a request a test holds back (the fault proxy) does not block the rest.
        { cwd: wpDir, detached: true, stdio: ['ignore', out, out], env: { ...process.env, PHP_CLI_SERVER_WORKERS: '4' } },
      );
      closeSync(out);
      writeFileSync(join(root, 'php-server.pid'), String(child.pid));
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline && alive(child)) {
        try {
          const response = await fetch(`${url}/?rest_route=/`, { signal: AbortSignal.timeout(5000) });
          const body = await response.text();
          if (response.ok && body.includes('"namespaces"')) {
            server = child;
            break;
          }
          lastError = `REST index answered ${response.status}: ${body.slice(0, 300)}`;
        } catch (error) {
          lastError = (error as Error & { cause?: Error }).cause?.message ?? (error as Error).message;
        }
        await sleep(100);
      }
      if (!server) {
        if (alive(child) && child.pid) {
          try {
            process.kill(-child.pid, 'SIGKILL');
          } catch {
            // gone
          }
        }
        // Someone took the port between freePort() and php -S: try another one.
        if (!/Address already in use|Failed to listen/i.test(tail(phpLog))) break;
      }
    }
    if (!server) throw new Error(`PHP's web server did not serve WordPress's REST API (${lastError})`);

    const phpBin = tools.php;
    const xmlRpc = run(phpBin, ['-r', 'echo function_exists("xml_parser_create") ? "yes" : "no";'], 'checking PHP for XML', '').trim() === 'yes';
    return {
      url,
      username: 'admin',
      appPassword: installed.appPassword,
      adminPassword,
      dir: wpDir,
      xmlRpc,
      stop,
      php(code: string): string {
        const file = join(root, `snippet-${randomBytes(6).toString('hex')}.php`);
        writeFileSync(
          file,
          `<?php
$_SERVER['HTTP_HOST'] = '127.0.0.1:${port}';
require ${phpString(join(wpDir, 'wp-load.php'))};
wp_set_current_user(${installed.userId});
${code}
`,
        );
        try {
          return run(phpBin, ['-d', 'display_errors=stderr', file], 'PHP snippet', phpErrors, 30_000);
        } finally {
          rmSync(file, { force: true });
        }
      },
    };
  } catch (error) {
    const logs = [
      `--- mysqld log (${mysqlLog}):\n${tail(mysqlLog)}`,
      `--- php server log:\n${tail(phpLog)}`,
      `--- php errors:\n${tail(phpErrors)}`,
    ].join('\n');
    await stop();
    throw new Error(`Could not start the test WordPress: ${(error as Error).message}\n${logs}`);
  }
}
