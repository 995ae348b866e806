/** A file-system error in a few words for a message (`no such file`), whatever Node's own wording. */
export function describeIoError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'ELOOP') return 'a loop of symbolic links';
  return (error as Error).message ?? String(error);
}
