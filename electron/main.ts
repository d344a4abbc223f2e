// The desktop shell: one window, Electron's security checklist, the menu, and IPC
// bound to the same back end as browser mode. Everything else lives in plain-Node
// modules that are tested without Electron.
import {
  BrowserWindow,
  Menu,
  app,
  dialog,
  ipcMain,
  net,
  protocol,
  safeStorage,
  session,
  shell,
  type MenuItemConstructorOptions,
  type WebContents,
} from 'electron';
import { existsSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { AppCommand } from '../shared/contract.ts';
import { openBackend, type Backend } from './backend.ts';
import { contentSecurityPolicy } from './csp.ts';
import { APP_NAME, defaultRendererDir } from './paths.ts';

const SCHEME = 'galley';
const APP_ORIGIN = `${SCHEME}://app`;
const here = fileURLToPath(new URL('.', import.meta.url));

app.setName(APP_NAME);
// A data folder given on the command line or in the environment (tests, a second
// newsroom profile) wins over Electron's userData.
const dataDirArg = process.argv.find((a) => a.startsWith('--data-dir='))?.slice('--data-dir='.length);
const dataDir = resolve(dataDirArg ?? process.env.GALLEY_DATA_DIR ?? app.getPath('userData'));
if (dataDirArg || process.env.GALLEY_DATA_DIR) app.setPath('userData', dataDir);

protocol.registerSchemesAsPrivileged([
  { scheme: SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

let backend: Backend | undefined;
let mainWindow: BrowserWindow | null = null;

if (!app.requestSingleInstanceLock()) {
  // Two processes writing one database would race; the first instance takes focus.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
  });
  app.whenReady().then(start, (error: unknown) => fail(error));
}

function fail(error: unknown): void {
  console.error('Galley could not start:', error);
  app.exit(1);
}

async function start(): Promise<void> {
  try {
    // CMS secrets go to the operating system's keychain where it has one; otherwise
    // (a Linux desktop without a keyring) the back end's owner-only key file is used.
    const secrets = safeStorage.isEncryptionAvailable()
      ? {
          kind: 'os-keychain' as const,
          seal: (plain: string) => safeStorage.encryptString(plain),
          open: (sealed: Buffer) => safeStorage.decryptString(sealed),
        }
      : undefined;
    backend = openBackend({ dataDir, secrets });
  } catch (error) {
    dialog.showErrorBox('Galley cannot open its data', error instanceof Error ? error.message : String(error));
    app.exit(1);
    return;
  }
  const rendererDir = resolve(defaultRendererDir());
  const csp = contentSecurityPolicy();

  protocol.handle(SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== 'app') return new Response('Not found', { status: 404 });
    const path = url.pathname === '/' ? '/index.html' : decodeURIComponent(url.pathname);
    const file = resolve(rendererDir, `.${normalize(path)}`);
    if (!file.startsWith(rendererDir + sep) || !existsSync(file)) return new Response('Not found', { status: 404 });
    const response = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(response.headers);
    if (extname(file) === '.html') headers.set('Content-Security-Policy', csp);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(response.body, { status: response.status, headers });
  });

  // No page gets camera, microphone, notifications, geolocation…
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  if (process.platform !== 'darwin') session.defaultSession.setSpellCheckerLanguages(['en-US']);

  ipcMain.handle('galley:invoke', async (event, name: unknown, input: unknown) => {
    if (!isOurFrame(event.senderFrame?.url) || event.sender !== mainWindow?.webContents) {
      return { ok: false, error: { code: 'forbidden', message: 'Calls are accepted only from Galley’s own window.' } };
    }
    if (typeof name !== 'string') return { ok: false, error: { code: 'invalid_input', message: 'Operation name must be text' } };
    return backend!.call(name, input);
  });
  backend.onAnyEvent((name, payload) => mainWindow?.webContents.send('galley:event', name, payload));

  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate()));
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
}

function isOurFrame(url: string | undefined): boolean {
  return !!url && url.startsWith(`${APP_ORIGIN}/`);
}

function createWindow(): void {
  mainWindow = new BrowserWindow({
    width: 1360,
    height: 880,
    minWidth: 900,
    minHeight: 600,
    title: APP_NAME,
    show: false,
    webPreferences: {
      preload: join(here, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: true,
    },
  });
  mainWindow.once('ready-to-show', () => mainWindow?.show());
  mainWindow.on('closed', () => (mainWindow = null));
  mainWindow.webContents.on('context-menu', (_e, params) => spellingMenu(mainWindow!.webContents, params));
  void mainWindow.loadURL(`${APP_ORIGIN}/index.html`);
}

/** Suggestions for a misspelled word, then the usual edit actions. */
function spellingMenu(contents: WebContents, params: Electron.ContextMenuParams): void {
  const items: MenuItemConstructorOptions[] = params.dictionarySuggestions.map((word) => ({
    label: word,
    click: () => contents.replaceMisspelling(word),
  }));
  if (params.misspelledWord) {
    items.push({
      label: 'Add to dictionary',
      click: () => contents.session.addWordToSpellCheckerDictionary(params.misspelledWord),
    });
  }
  if (items.length) items.push({ type: 'separator' });
  if (params.isEditable) items.push({ role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' });
  else if (params.selectionText) items.push({ role: 'copy' });
  if (items.length) Menu.buildFromTemplate(items).popup();
}

// Every web contents, now and later: no new windows, no navigation away from the app,
// no <webview>. Web links open in the person's browser, and only http(s) ones.
app.on('web-contents-created', (_e, contents) => {
  contents.setWindowOpenHandler(({ url }) => {
    openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event, url) => {
    if (!url.startsWith(`${APP_ORIGIN}/`)) {
      event.preventDefault();
      openExternal(url);
    }
  });
  contents.on('will-redirect', (event, url) => {
    if (!url.startsWith(`${APP_ORIGIN}/`)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
});

function openExternal(url: string): void {
  try {
    const { protocol: p } = new URL(url);
    if (p === 'https:' || p === 'http:') void shell.openExternal(url);
  } catch {
    /* not a URL: ignore */
  }
}

function send(command: AppCommand): void {
  mainWindow?.webContents.send('galley:event', 'app.command', { command });
}

function menuTemplate(): MenuItemConstructorOptions[] {
  const mac = process.platform === 'darwin';
  return [
    ...(mac ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [
        { label: 'New Article', accelerator: 'CmdOrCtrl+N', click: () => send('new-article') },
        { label: 'New Caption', accelerator: 'CmdOrCtrl+Shift+N', click: () => send('new-caption') },
        { label: 'New Bio', accelerator: 'CmdOrCtrl+Alt+N', click: () => send('new-bio') },
        { type: 'separator' },
        { label: 'Search Stories', accelerator: 'CmdOrCtrl+F', click: () => send('find') },
        { label: 'Switch User…', accelerator: 'CmdOrCtrl+Shift+U', click: () => send('switch-user') },
        { type: 'separator' },
        mac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { label: '&Edit', submenu: [
      { role: 'undo' }, { role: 'redo' }, { type: 'separator' },
      { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'pasteAndMatchStyle' }, { role: 'selectAll' },
    ] },
    { label: '&View', submenu: [
      { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' },
      ...(app.isPackaged ? [] : [{ type: 'separator' as const }, { role: 'reload' as const }, { role: 'toggleDevTools' as const }]),
    ] },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [
        { label: 'About Galley', click: () => app.showAboutPanel() },
        { label: 'Open Data Folder', click: () => void shell.openPath(dataDir) },
      ],
    },
  ];
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
app.on('will-quit', () => backend?.close());
