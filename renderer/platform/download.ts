/**
 * Saves data as a file through the browser's download mechanism (a Blob and an anchor with
 * `download`), which works in web mode and in Electron, where it opens the save dialog.
 */
export function downloadFile(fileName: string, content: string | Uint8Array, type: string): void {
  const url = URL.createObjectURL(new Blob([content as BlobPart], { type }));
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  anchor.rel = 'noopener';
  anchor.style.display = 'none';
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  // Revoking at once can cancel the download in some engines; give it a moment.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
