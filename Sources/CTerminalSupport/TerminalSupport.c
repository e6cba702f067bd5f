#include "CTerminalSupport.h"
int trillium_terminal_support_placeholder(void) { return 0; }
