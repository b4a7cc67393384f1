/**
 * A serialized image that opens on its own: an OPFS database is in WAL mode (file format bytes
 * 18/19 = 2), which an in-memory database cannot read without its -wal file. The image already
 * holds every committed page, so marking it as a rollback-journal file is exact.
 */
export function standaloneImage(image: Uint8Array): Uint8Array {
  if (image.byteLength > 19 && image[18] === 2 && image[19] === 2) {
    image[18] = 1;
    image[19] = 1;
  }
  return image;
}
