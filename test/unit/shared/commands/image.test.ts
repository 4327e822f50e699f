import { describe, expect, it } from 'vitest';
import { imageId } from '../../../../shared/commands/image';

describe('image commands', () => {
  it("reads an image's id, which fails when the host does not have it", () => {
    expect(imageId('shop/web:v2')).toEqual({
      program: 'docker',
      args: ['image', 'inspect', '--format', '{{.Id}}', 'shop/web:v2'],
      purpose: 'Check that shop/web:v2 is on the host',
      redact: [],
    });
  });
});
