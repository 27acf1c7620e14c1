// @vitest-environment happy-dom
/**
 * The editor's image node shows only the workspace's own images: a real one as a blob URL, a
 * peer's SVG (whatever it claims) as "not available", and an image whose bytes arrive after the
 * body (from a peer) as soon as they arrive.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Editor } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import * as Y from 'yjs';
import { AttachmentImage } from '../../../renderer/features/notes/attachmentImage';
import { activeSession } from '../../../renderer/store';
import { attachmentKey, putAttachment } from '../../../shared/model/attachments';
import { ROOT } from '../../../shared/model/roots';
import { openWorkspaces, resetAppStore } from '../storeHarness';

// URL.createObjectURL is the browser's edge here; happy-dom has none.
let made = 0;
URL.createObjectURL = () => `blob:test/${++made}`;

const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

function editorShowing(key: string): Editor {
  return new Editor({
    element: document.createElement('div'),
    extensions: [StarterKit, AttachmentImage],
    content: {
      type: 'doc',
      content: [
        {
          type: 'paragraph',
          content: [{ type: 'image', attrs: { attachment: key, name: 'x.png', alt: 'Team' } }],
        },
      ],
    },
  });
}

beforeEach(async () => {
  await openWorkspaces();
});
afterEach(async () => {
  await resetAppStore();
});

describe('the image node', () => {
  it('shows a workspace image, and refuses an SVG a peer stored as PNG', () => {
    const doc = activeSession()!.doc;
    const key = attachmentKey(PNG);
    putAttachment(doc, 'member-a', 1, key, 'x.png', PNG);
    const svg = new TextEncoder().encode('<svg onload="alert(1)"/>');
    const bad = new Y.Map<unknown>();
    doc.getMap(ROOT.attachments).set('e'.repeat(64), bad);
    bad.set('bytes', svg);
    bad.set('type', 'image/png');

    const good = editorShowing(key);
    expect(good.view.dom.querySelector('img.note-image')?.getAttribute('src')).toMatch(/^blob:/);
    const refused = editorShowing('e'.repeat(64));
    expect(refused.view.dom.querySelector('img.note-image')).toBeNull();
    expect(refused.view.dom.textContent).toBe('Image not available: Team');
    good.destroy();
    refused.destroy();
  });

  it('draws an image whose bytes arrive after the body', () => {
    const doc = activeSession()!.doc;
    const late = Uint8Array.from([...PNG, 9]);
    const key = attachmentKey(late);
    const editor = editorShowing(key);
    expect(editor.view.dom.textContent).toBe('Image not available: Team');
    doc.transact(() => putAttachment(doc, 'member-b', 2, key, 'late.png', late));
    expect(editor.view.dom.querySelector('img.note-image')).not.toBeNull();
    editor.destroy();
  });
});
