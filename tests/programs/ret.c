/* ret.c - returning from main: its value is the exit status. */
int main(int argc, char **argv)
{
    (void)argv;
    return 40 + argc;
}
