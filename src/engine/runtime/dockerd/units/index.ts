/**
 * units — github.com/docker/go-units as docker 27's CLI and daemon use it: HumanDuration (`About a
 * minute`, `2 hours`), HumanSize with decimal units (`187MB`), BytesSize with binary units (`2.9MiB`),
 * and RAMInBytes / FromHumanSize, the parsers of `--memory 64m` and `--shm-size`.
 *
 * Left out: ulimit parsing and CustomSize with caller-chosen unit tables.
 */
export { humanDuration } from './duration.ts';
export { bytesSize, fromHumanSize, humanSize, humanSizeWithPrecision, ramInBytes, SizeError } from './size.ts';
