/**
 * The built-in registry (distribution / OCI distribution-spec, read-only) and pulling from it: registries
 * per host serving manifests, indexes and blobs of an offline catalogue, the registry's errors and the
 * texts docker and containerd print for them, and a puller that fills a node's content and image stores
 * on virtual time with docker's progress messages.
 * Left out: push, authentication (Docker Hub's "unknown repository" is answered as DENIED directly),
 * rate limits, mirrors, range requests and resumed downloads.
 */
export { Registries, Registry, type ManifestResponse, type RegistryOptions, type RegistryRepository, type RepositoryContent } from './registry.ts';
export {
  containerdPullError,
  dockerPullErrorMessage,
  HostNotFoundError,
  PlatformNotFoundError,
  RegistryError,
  type PullError,
  type RegistryErrorCode,
} from './registryError.ts';
export { Puller, type JSONMessage, type PullOptions, type PullPlan, type PullResult, type PullStep } from './puller.ts';
export { binaryHead, createRegistries, dockerHubRepositories, kubernetesRepositories, type Arch } from './catalogue/index.ts';
