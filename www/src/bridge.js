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
import {
  duckdbCancel,
  duckdbExec,
  duckdbQuery,
  duckdbRegisterFile,
  duckdbRestarts,
  duckdbSetStatementTimeout,
  duckdbSetStopGrace,
  duckdbStart,
} from './duckdb.js';
import { storageAssumeRevision, storageLoad, storageRevision, storageSave } from './storage.js';
import { droppedFiles } from './drop.js';
import { importDbt } from './dbt.js';
import { assistantChat, assistantSettingsLoad, assistantSettingsSave } from './assistant.js';
import { applyConnectPolicy } from './connect-policy.js';
import { clearLastCrash, crashRescued, lastCrash, setTrapRescue, showCrash } from './crash.js';

// First, so that no request is sent before the narrower policy holds.
applyConnectPolicy(document);

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
  duckdbCancel,
  duckdbRestarts,
  duckdbSetStatementTimeout,
  duckdbSetStopGrace,
  storageLoad,
  storageSave,
  storageRevision,
  storageAssumeRevision,
  assistantSettingsLoad,
  assistantSettingsSave,
  assistantChat,
  droppedFiles,
  importDbt,
  showCrash,
  crashRescued,
  lastCrash,
  clearLastCrash,
  setTrapRescue,
});
