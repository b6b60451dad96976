// Reads what the user dropped on the page: files, and folders walked
// through the File and Directory Entries API, which only the JS side can
// reach. Each file comes back with its path from the dropped item's
// parent, as a folder picker's webkitRelativePath gives it.

// A folder's reader returns its entries in batches until an empty one.
function readBatch(reader) {
  return new Promise((resolve, reject) => reader.readEntries(resolve, reject));
}

function fileOf(entry) {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

async function walk(entry, prefix, out, limit) {
  if (out.length > limit) return;
  const path = prefix ? `${prefix}/${entry.name}` : entry.name;
  if (entry.isFile) {
    out.push({ path, file: await fileOf(entry) });
    return;
  }
  const reader = entry.createReader();
  for (;;) {
    const batch = await readBatch(reader);
    if (batch.length === 0) return;
    for (const child of batch) await walk(child, path, out, limit);
  }
}

// Returns [{ path, file }] for every file dropped, walking into dropped
// folders. It stops walking once more than `limit` files are found, so a
// dropped home folder ends quickly; the caller then reports the limit.
export async function droppedFiles(dataTransfer, limit) {
  // The entries must be taken before the first await: the browser empties
  // the DataTransfer once the drop event's handler returns.
  // An item with no entry (a file a script put there) is read as a file.
  const items = [...(dataTransfer?.items ?? [])]
    .filter((item) => item.kind === 'file')
    .map((item) => ({ entry: item.webkitGetAsEntry?.() ?? null, file: item.getAsFile() }));
  const out = [];
  for (const { entry, file } of items) {
    if (entry) await walk(entry, '', out, limit);
    else if (file) out.push({ path: file.name, file });
  }
  return out;
}
