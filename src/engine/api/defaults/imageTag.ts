/**
 * The tag an image reference names, as k8s.io/kubernetes/pkg/util/parsers.ParseImageName reads it (through
 * the distribution reference grammar's ParseNormalizedNamed): `nginx` and `nginx:latest` name "latest",
 * `nginx:1.27` names "1.27", `nginx@sha256:…` names no tag (a digest pins it), and a reference that does
 * not parse names no tag either. The imagePullPolicy default hangs on this answer.
 *
 * Left out: the repository and digest parts, which nothing in defaulting reads.
 */

const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const HOST = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])`;
const DOMAIN = `${HOST}(?::[0-9]+)?`;
const NAME = `(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9A-Fa-f]{32,}';
const REFERENCE = new RegExp(`^(${NAME})(?::(${TAG}))?(?:@(${DIGEST}))?$`);
const IDENTIFIER = /^[a-f0-9]{64}$/;
const NAME_TOTAL_LENGTH_MAX = 255;

/** Docker Hub's domain and the prefix of its official images, as splitDockerDomain adds them. */
function splitDockerDomain(name: string): { domain: string; remainder: string } {
  const i = name.indexOf('/');
  let domain: string;
  let remainder: string;
  const first = i === -1 ? '' : name.slice(0, i);
  if (i === -1 || (!/[.:]/.test(first) && first !== 'localhost' && first.toLowerCase() === first)) {
    domain = 'docker.io';
    remainder = name;
  } else {
    domain = first;
    remainder = name.slice(i + 1);
  }
  if (domain === 'index.docker.io') domain = 'docker.io';
  if (domain === 'docker.io' && !remainder.includes('/')) remainder = 'library/' + remainder;
  return { domain, remainder };
}

/** ParseImageName's tag: "latest" when neither tag nor digest is given, "" when the reference is invalid. */
export function imageTag(image: string): string {
  if (IDENTIFIER.test(image)) return '';
  const { domain, remainder } = splitDockerDomain(image);
  const colon = remainder.indexOf(':');
  const remoteName = colon > -1 ? remainder.slice(0, colon) : remainder;
  if (remoteName.toLowerCase() !== remoteName) return '';
  const match = REFERENCE.exec(`${domain}/${remainder}`);
  if (!match || (match[1] ?? '').length > NAME_TOTAL_LENGTH_MAX) return '';
  const tag = match[2] ?? '';
  const digest = match[3] ?? '';
  return tag === '' && digest === '' ? 'latest' : tag;
}
