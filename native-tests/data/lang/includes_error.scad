z = 0;
include <error_inc.scad>
