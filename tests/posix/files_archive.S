/* files_archive.S - the test archive of tests/posix/files.c (a cpio newc
 * archive of tests/posix/files-data, built by libos/libos.mk), embedded in
 * the program until images can carry an archive of their own. */
    .section .rodata.files_archive, "a"
    .balign 4
    .global files_archive, files_archive_end
files_archive:
    .incbin ARCHIVE
files_archive_end:
    .section .note.GNU-stack, "", %progbits
