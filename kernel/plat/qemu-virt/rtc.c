/*
 * rtc.c - the wall-clock time at boot, from QEMU virt's PL031 real-time
 * clock (seconds since 1970), paired with the counter value when it was
 * read.  PDs get both in their info page, so a runtime can tell the real
 * time from the counter alone.  Read once; the kernel never writes the RTC
 * (a driver PD may own it).
 */
#include "kernel.h"
#include "plat/qemu-virt/platform.h"

#define RTCDR 0x00

uint32_t rtc_boot_seconds;
uint64_t rtc_boot_ticks;

void rtc_read_boot_time(void)
{
    volatile uint32_t *rtc = (volatile uint32_t *)RTC_VA;
    rtc_boot_ticks = timer_now();
    rtc_boot_seconds = rtc[RTCDR / 4];
}
