import { command, type RemoteCommand } from './command';

/** The id of an image on the host; exits non-zero when the host does not have it. */
export function imageId(image: string): RemoteCommand {
  return command('docker', ['image', 'inspect', '--format', '{{.Id}}', image], `Check that ${image} is on the host`);
}
