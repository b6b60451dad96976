// Entry point of dist/bridge.js: esbuild bundles it as an IIFE that sets
// window.rockyBridge before the Yew app starts. The Rust side binds these
// names with `js_namespace = rockyBridge`; docs/playground-contract.md is the
// contract for every signature.

import {
  createEditor,
  destroyEditor,
  revealEditorRange,
  setEditorDiagnostics,
  setEditorDoc,
  setEditorModelInfo,
} from './editor.js';
import { duckdbExec, duckdbQuery, duckdbRegisterFile, duckdbStart } from './duckdb.js';
import { storageLoad, storageSave } from './storage.js';
import { droppedFiles } from './drop.js';
import { importDbt } from './dbt.js';
import { assistantChat, assistantSettingsLoad, assistantSettingsSave } from './assistant.js';
import { crashRescued, showCrash } from './crash.js';

window.rockyBridge = Object.freeze({
  createEditor,
  setEditorDoc,
  setEditorDiagnostics,
  setEditorModelInfo,
  revealEditorRange,
  destroyEditor,
  duckdbStart,
  duckdbRegisterFile,
  duckdbExec,
  duckdbQuery,
  storageLoad,
  storageSave,
  assistantSettingsLoad,
  assistantSettingsSave,
  assistantChat,
  droppedFiles,
  importDbt,
  showCrash,
  crashRescued,
});
