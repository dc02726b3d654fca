/*
 * mutex.c - a mutex on a futex word, the classic three-state design
 * (0 free, 1 taken, 2 taken and someone may sleep on it): an uncontended
 * lock/unlock never enters the kernel.
 */
#include <freebeam/fbpd.h>

bool fb_mutex_trylock(fb_mutex *m)
{
    uint32_t c = 0;
    return __atomic_compare_exchange_n(&m->v, &c, 1, false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

void fb_mutex_lock(fb_mutex *m)
{
    uint32_t c = 0;
    if (__atomic_compare_exchange_n(&m->v, &c, 1, false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
        return;
    /* Contended: announce a sleeper (2) and sleep until we take it free. */
    if (c != 2)
        c = __atomic_exchange_n(&m->v, 2, __ATOMIC_ACQUIRE);
    while (c != 0) {
        fb_futex_wait(&m->v, 2, 0);
        c = __atomic_exchange_n(&m->v, 2, __ATOMIC_ACQUIRE);
    }
}

void fb_mutex_unlock(fb_mutex *m)
{
    if (__atomic_fetch_sub(&m->v, 1, __ATOMIC_RELEASE) != 1) {
        __atomic_store_n(&m->v, 0, __ATOMIC_RELEASE);
        fb_futex_wake(&m->v, 1);
    }
}
