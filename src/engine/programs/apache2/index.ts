/**
 * The php:5-apache image's programs, which registry.k8s.io/hpa-example (the HorizontalPodAutoscaler
 * walkthrough's php-apache) runs: Debian jessie's Apache HTTP Server 2.4.10 with the prefork MPM and
 * mod_php (apache2.ts, its configuration in apache2Conf.ts), the PHP 5.6 CLI (php.ts), and the Zend
 * Engine subset both run PHP pages with (zend.ts), whose CPU time goes through the host's scheduler
 * (burnCpu.ts) so a container's CPU limit throttles a page.
 *
 * Left out: see each file; most of all, PHP is a subset — enough for small pages such as
 * hpa-example's index.php, not for applications.
 */
export { APACHE_VERSION, Apache2 } from './apache2.ts';
export { PhpCli } from './php.ts';
export { INTERNAL_CALL_NS, OPCODE_NS, PHP_VERSION, REQUEST_NS, runCostNs, runPhp } from './zend.ts';
