/**
 * Images in a note's body: TipTap's image node, but pointing at an attachment of the workspace
 * (docs/PROTOCOL.md §1.8) by its content hash instead of at an address. Nothing outside the
 * workspace is ever loaded: there is no `src` attribute, pasted `<img src>` is not taken, and the
 * bytes shown come from the validated reader (PNG, JPEG, GIF or WebP within the cap) as a blob URL.
 * What cannot be shown says so in place of the image.
 */
import Image from '@tiptap/extension-image';
import type * as Y from 'yjs';
import { readAttachment } from '../../../shared/model/attachments';
import { ROOT } from '../../../shared/model/roots';
import { activeSession } from '../../store';

/** Blob URLs by attachment key: an attachment never changes (its key is its hash). */
const urls = new Map<string, string>();

/** A URL showing the workspace's attachment, or null when it is missing or not an image. */
export function attachmentUrl(key: string): string | null {
  const known = urls.get(key);
  if (known) return known;
  const doc = activeSession()?.doc;
  const attachment = doc ? readAttachment(doc, key) : null;
  if (!attachment) return null;
  const url = URL.createObjectURL(
    new Blob([attachment.bytes as Uint8Array<ArrayBuffer>], { type: attachment.type }),
  );
  urls.set(key, url);
  return url;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

export const AttachmentImage = Image.extend({
  addAttributes() {
    return {
      attachment: {
        default: null,
        parseHTML: (element) => element.getAttribute('data-attachment'),
        renderHTML: (attributes) => ({ 'data-attachment': text(attributes.attachment) }),
      },
      name: {
        default: null,
        parseHTML: (element) => element.getAttribute('data-name'),
        renderHTML: (attributes) => ({ 'data-name': text(attributes.name) }),
      },
      alt: { default: null },
    };
  },
  parseHTML() {
    // Only images copied from an Outpost note; an image from elsewhere would be an address.
    return [{ tag: 'img[data-attachment]' }];
  },
  addInputRules() {
    return [];
  },
  addNodeView() {
    return ({ node }) => {
      const key = text(node.attrs.attachment);
      const alt = text(node.attrs.alt) || text(node.attrs.name);
      const dom = document.createElement('span');
      dom.className = 'note-image-frame';
      const paint = (): boolean => {
        const url = attachmentUrl(key);
        if (url) {
          const img = document.createElement('img');
          img.className = 'note-image';
          img.src = url;
          img.alt = alt;
          img.draggable = false;
          dom.replaceChildren(img);
          return true;
        }
        const missing = document.createElement('span');
        missing.className = 'note-image-missing';
        missing.textContent = `Image not available${alt ? `: ${alt}` : ''}`;
        missing.title =
          'This image is not in the workspace (yet), or is not a PNG, JPEG, GIF or WebP image.';
        dom.replaceChildren(missing);
        return false;
      };
      if (paint()) return { dom };
      // A body can arrive from a peer before the image it shows: draw it when it comes.
      const attachments = activeSession()?.doc.getMap<unknown>(ROOT.attachments);
      const onChange = (event: Y.YMapEvent<unknown>) => {
        if (event.keysChanged.has(key) && paint()) attachments?.unobserve(onChange);
      };
      attachments?.observe(onChange);
      return { dom, destroy: () => attachments?.unobserve(onChange) };
    };
  },
}).configure({ inline: true });
