%% fb_abi.hrl - the numbers of include/freebeam/sysimage.h and kapi.h that the
%% image builder needs.  Keep in step with those headers (the tests decode
%% blobs field by field against these values).

-define(FB_SYS_MAGIC, 16#59534246).
-define(FB_SYS_VERSION, 3).
-define(FB_NO_PD, 16#ffffffff).
-define(FB_NO_REGION, 16#ffffffff).

-define(FB_RAM_BASE, 16#40000000).
-define(FB_USER_BASE, 16#00001000).
-define(FB_USER_TOP, 16#40000000).
-define(FB_STACK_TOP, 16#3fff0000).
-define(FB_STACK_RESERVE, 16#01000000).
-define(FB_MAP_TOP, (?FB_STACK_TOP - ?FB_STACK_RESERVE)).

-define(FB_MAX_PDS, 32).
-define(FB_MAX_REGIONS, 64).
-define(FB_MAX_MAPS, 128).
-define(FB_MAX_CHANNELS_SYS, 128).
-define(FB_MAX_IRQS, 32).
-define(FB_MAX_THREADS_PD, 4096).
-define(FB_MAX_SEGMENTS, 8).
-define(FB_MAX_CHANNELS, 63).
-define(FB_MAX_PRIO, 254).
-define(FB_PAGE, 4096).
-define(FB_MAX_ARGS_BYTES, 2048).
-define(FB_MAX_NAME, 24).

%% A channel's queue pair: each half of its region holds a header, depth
%% descriptors and depth slots.
-define(FB_QUEUE_HEAD_BYTES, 128).
-define(FB_QUEUE_DESC_BYTES, 16).
-define(FB_QUEUE_MAX_DEPTH, 4096).
-define(FB_QUEUE_MAX_SLOT, 65536).

-define(FB_PERM_X, 1).
-define(FB_PERM_W, 2).
-define(FB_PERM_R, 4).

-define(FB_REGION_DEVICE, 1).
-define(FB_REGION_DMA, 2).
-define(FB_REGION_REST, 4).
-define(FB_REGION_DEFLATE, 8).
-define(FB_PF_DEFLATE, 16#00100000).
-define(FB_IRQ_EDGE, 1).

-define(FB_RIGHT_POWEROFF, 1).
-define(FB_RIGHT_PD_CONTROL, 2).

%% Sizes of the blob's structures in bytes.
-define(HDR_SIZE, 68).
-define(PD_SIZE, 40).
-define(REGION_SIZE, 24).
-define(MAP_SIZE, 16).
-define(CHANNEL_SIZE, 32).
-define(IRQ_SIZE, 16).

%% ELF constants.
-define(PT_LOAD, 1).
-define(PT_DYNAMIC, 2).
-define(PT_INTERP, 3).
-define(EM_ARM, 40).
-define(ET_EXEC, 2).
-define(PF_X, 1).
-define(PF_W, 2).
-define(PF_R, 4).
