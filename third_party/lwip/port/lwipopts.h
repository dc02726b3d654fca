/*
 * lwipopts.h - the lwIP configuration of libos's sockets (docs/networking.md).
 *
 * NO_SYS=1: lwIP's raw (callback) API only, no threads of its own, no
 * netconn or sockets API (libos has its own socket layer, libos/net_*.c,
 * with Linux's constants and descriptors in libos's fd table).  Every call
 * into lwIP is made under one libos lock (net_lock, libos/net_stack.c), so
 * lwIP's own critical sections are empty (SYS_LIGHTWEIGHT_PROT=0).  Timers
 * run in a libos thread that sleeps until the next lwIP timeout.
 *
 * Memory: lwIP's heap (mem.c) lives in libos pages taken at the first
 * socket (LWIP_RAM_HEAP_POINTER), and its pools come from that heap
 * (MEMP_MEM_MALLOC), so a program that never opens a socket pays nothing
 * but code.
 *
 * Interfaces: the loopback one (127.0.0.1/8) always, and eth0 when the PD
 * has the channel `net` to the virtio-net driver PD (libos/net_eth.c):
 * Ethernet with ARP, IP fragmentation and reassembly, and DHCP.  Their
 * periodic timers run only while eth0 exists (libos/net_if.c).  Off, and
 * why: DNS (erts resolves names itself, inet_res over UDP), IGMP (no
 * multicast yet), IPv6, AutoIP.
 */
#ifndef FREEBEAM_LWIPOPTS_H
#define FREEBEAM_LWIPOPTS_H

/* ---- system ---- */
#define NO_SYS                  1
#define LWIP_TIMERS             1
#define SYS_LIGHTWEIGHT_PROT    0
#define LWIP_NETCONN            0
#define LWIP_SOCKET             0
#define LWIP_CALLBACK_API       1
#define LWIP_EVENT_API          0

/* ---- memory ---- */
#ifndef MEM_ALIGNMENT                   /* the host build of the frame fuzzer (64-bit) says 8 */
#define MEM_ALIGNMENT           4
#endif
#define MEM_SIZE                (1024 * 1024)
extern unsigned char *libos_net_heap;
#define LWIP_RAM_HEAP_POINTER   libos_net_heap
#define MEMP_MEM_MALLOC         1
#ifndef MEM_LIBC_MALLOC                 /* the host tests say 1: AddressSanitizer then sees lwIP's frees */
#define MEM_LIBC_MALLOC         0
#endif
#define MEM_STATS               0
#define MEMP_STATS              0
#define LWIP_STATS              0

/* ---- protocols ---- */
#define LWIP_IPV4               1
#define LWIP_IPV6               0
#define LWIP_ICMP               1
#define LWIP_RAW                0
#define LWIP_UDP                1
#define LWIP_TCP                1
#define LWIP_ARP                1
#define LWIP_ETHERNET           1
#define IP_FORWARD              0
#define IP_REASSEMBLY           1
#define IP_FRAG                 1
#define LWIP_DHCP               1
/* QEMU's user network hands out one address per guest: no ARP probe of
 * the offered address (it would delay the lease by half a second). */
#define DHCP_DOES_ARP_CHECK     0
#define LWIP_AUTOIP             0
#define LWIP_IGMP               0
#define LWIP_DNS                0
#define LWIP_ALTCP              0
/* htons and friends come from musl's <netinet/in.h>, not from lwIP. */
#define LWIP_DONT_PROVIDE_BYTEORDER_FUNCTIONS 1

/* ---- checksums ----
 * Ours (libos/net_chksum.c): 32-bit words into a 64-bit sum, about a
 * quarter of the instructions of lwIP's 16-bit C loop. */
unsigned short libos_net_chksum(const void *data, int len);
#define LWIP_CHKSUM             libos_net_chksum

/* ---- interfaces ---- */
#define LWIP_NETIF_LOOPBACK     1
#define LWIP_HAVE_LOOPIF        1
#define LWIP_LOOPBACK_MAX_PBUFS 0
#define LWIP_NETIF_STATUS_CALLBACK 1   /* eth0 says its address when DHCP gives one */
#define LWIP_NETIF_LINK_CALLBACK 0
#define LWIP_SINGLE_NETIF       0
/* The loopback interface neither computes nor checks checksums; eth0
 * does both (no offload is negotiated with the device). */
#define LWIP_CHECKSUM_CTRL_PER_NETIF 1

/* ---- TCP ---- */
#define TCP_MSS                 1460
#define TCP_WND                 (32 * TCP_MSS)
#define TCP_SND_BUF             (32 * TCP_MSS)
#define TCP_SND_QUEUELEN        (4 * TCP_SND_BUF / TCP_MSS)
#define MEMP_NUM_TCP_SEG        TCP_SND_QUEUELEN
#define TCP_LISTEN_BACKLOG      1
#define TCP_DEFAULT_LISTEN_BACKLOG 128
#define LWIP_TCP_KEEPALIVE      1
#define SO_REUSE                1
#define TCP_QUEUE_OOSEQ         1
#define LWIP_TCP_TIMESTAMPS     0
#define LWIP_WND_SCALE          0


#endif
