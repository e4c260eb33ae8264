/**
 * /proc/cpuinfo — arch/x86/kernel/cpu/proc.c's show_cpuinfo for the virtual CPUs of a KVM guest on an
 * Intel Xeon host: one block per online CPU, all in one socket, one thread per core. Other machines get
 * the same x86 block (the lab's nodes are x86_64).
 */

/** The flags line of an Ice Lake server guest. */
const FLAGS =
  'fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse sse2 ss ht syscall nx pdpe1gb rdtscp lm ' +
  'constant_tsc rep_good nopl xtopology nonstop_tsc cpuid tsc_known_freq pni pclmulqdq ssse3 fma cx16 pdcm pcid sse4_1 sse4_2 x2apic movbe ' +
  'popcnt tsc_deadline_timer aes xsave avx f16c rdrand hypervisor lahf_lm abm 3dnowprefetch cpuid_fault ssbd ibrs ibpb stibp ibrs_enhanced ' +
  'fsgsbase tsc_adjust bmi1 avx2 smep bmi2 erms invpcid avx512f avx512dq rdseed adx smap avx512ifma clflushopt clwb avx512cd sha_ni ' +
  'avx512bw avx512vl xsaveopt xsavec xgetbv1 xsaves wbnoinvd arat avx512vbmi umip pku ospke avx512_vbmi2 gfni vaes vpclmulqdq ' +
  'avx512_vnni avx512_bitalg avx512_vpopcntdq la57 rdpid fsrm md_clear arch_capabilities';

/** The text of /proc/cpuinfo for `cpus` CPUs. */
export function procCpuinfo(cpus: number): string {
  let out = '';
  for (let cpu = 0; cpu < cpus; cpu++) {
    out +=
      `processor\t: ${cpu}\nvendor_id\t: GenuineIntel\ncpu family\t: 6\nmodel\t\t: 106\n` +
      'model name\t: Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz\nstepping\t: 6\nmicrocode\t: 0xffffffff\n' +
      `cpu MHz\t\t: 2899.998\ncache size\t: 55296 KB\nphysical id\t: 0\nsiblings\t: ${cpus}\ncore id\t\t: ${cpu}\n` +
      `cpu cores\t: ${cpus}\napicid\t\t: ${cpu}\ninitial apicid\t: ${cpu}\nfpu\t\t: yes\nfpu_exception\t: yes\ncpuid level\t: 27\n` +
      `wp\t\t: yes\nflags\t\t: ${FLAGS}\nvmx flags\t: \nbugs\t\t: spectre_v1 spectre_v2 spec_store_bypass swapgs mmio_stale_data eibrs_pbrsb gds bhi\n` +
      'bogomips\t: 5799.99\nclflush size\t: 64\ncache_alignment\t: 64\naddress sizes\t: 46 bits physical, 57 bits virtual\npower management:\n\n';
  }
  return out;
}
