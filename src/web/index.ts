// The workbench (`xietong serve`): the programme's steps on one local page.
export { createApp, MAX_UPLOAD_BYTES, type Workbench, type WorkbenchDeps } from './app.js';
export { startWorkbench, type WorkbenchServer } from './server.js';
