/* jkstool convert: placeholder until the conversion hub lands (issue 4). */
#include "cli.h"

int cmd_convert(int argc, char **argv)
{
    (void)argc, (void)argv;
    cli_errorf(NULL, "convert is not implemented yet");
    return EXIT_USAGE;
}
