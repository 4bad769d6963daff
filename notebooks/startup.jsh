// Imports for autograd notebooks: loaded by bin/jshell before any /open.
import dev.autograd.*;
import dev.autograd.array.*;
import java.util.*;
import java.util.random.RandomGenerator;
import java.util.SplittableRandom;
import dev.autograd.nn.*;
import dev.autograd.nn.optim.*;
import dev.autograd.nn.data.*;
import dev.autograd.nn.io.*;
import java.nio.file.*;
