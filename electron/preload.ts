// The only bridge between the page and the back end: one generic invoke and one
// subscribe. No Electron or Node API reaches the page (contextIsolation + sandbox);
// what may be called, by whom and with what input is checked in the main process.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';

contextBridge.exposeInMainWorld('galley', {
  invoke: (name: string, input: unknown) => ipcRenderer.invoke('galley:invoke', String(name), input),
  subscribe: (event: string, fn: (payload: unknown) => void) => {
    const listener = (_e: IpcRendererEvent, name: string, payload: unknown) => {
      if (name === event) fn(payload);
    };
    ipcRenderer.on('galley:event', listener);
    return () => {
      ipcRenderer.removeListener('galley:event', listener);
    };
  },
});
