/* jkstool check: placeholder until the validator lands (issue 5). */
#include "cli.h"

int cmd_check(int argc, char **argv)
{
    (void)argc, (void)argv;
    cli_errorf(NULL, "check is not implemented yet");
    return EXIT_USAGE;
}
