/*
 * elf32.h - the ELF32 definitions the kernel needs to check and load PD
 * images: the file header, the program header and their constants.  Our
 * own, so kernel code never includes a host <elf.h>.  Only little-endian
 * ARM executables are accepted, so the structs are read in place.
 */
#ifndef FB_KERNEL_ELF32_H
#define FB_KERNEL_ELF32_H

#include <stdint.h>

#define EI_NIDENT 16
#define EI_MAG0    0
#define EI_MAG1    1
#define EI_MAG2    2
#define EI_MAG3    3
#define EI_CLASS   4
#define EI_DATA    5
#define EI_VERSION 6

#define ELFMAG0 0x7f
#define ELFMAG1 'E'
#define ELFMAG2 'L'
#define ELFMAG3 'F'
#define ELFCLASS32  1
#define ELFDATA2LSB 1
#define EV_CURRENT  1

#define ET_EXEC 2
#define EM_ARM  40

#define PT_NULL    0
#define PT_LOAD    1
#define PT_DYNAMIC 2
#define PT_INTERP  3
#define PT_NOTE    4
#define PT_PHDR    6
#define PT_TLS     7

#define PF_X 1u
#define PF_W 2u
#define PF_R 4u

typedef struct {
    unsigned char e_ident[EI_NIDENT];
    uint16_t e_type;
    uint16_t e_machine;
    uint32_t e_version;
    uint32_t e_entry;
    uint32_t e_phoff;
    uint32_t e_shoff;
    uint32_t e_flags;
    uint16_t e_ehsize;
    uint16_t e_phentsize;
    uint16_t e_phnum;
    uint16_t e_shentsize;
    uint16_t e_shnum;
    uint16_t e_shstrndx;
} Elf32_Ehdr;

typedef struct {
    uint32_t p_type;
    uint32_t p_offset;
    uint32_t p_vaddr;
    uint32_t p_paddr;
    uint32_t p_filesz;
    uint32_t p_memsz;
    uint32_t p_flags;
    uint32_t p_align;
} Elf32_Phdr;

_Static_assert(sizeof(Elf32_Ehdr) == 52, "ELF32 file header is 52 bytes");
_Static_assert(sizeof(Elf32_Phdr) == 32, "ELF32 program header is 32 bytes");

#endif
