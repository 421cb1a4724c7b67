include <self.scad>
echo("S");
