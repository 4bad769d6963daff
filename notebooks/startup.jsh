// Imports for autograd notebooks: loaded by bin/jshell before any /open.
import dev.autograd.*;
import dev.autograd.array.*;
import java.util.*;
import java.util.random.RandomGenerator;
import java.util.SplittableRandom;
