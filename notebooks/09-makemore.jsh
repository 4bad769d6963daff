// 09 · makemore: a character-level language model on a word list (bigram counts, then an MLP, then attention)
// Point `wordList` at any file with one word per line; the shared data set has 104k English words (SCOWL).

Path wordList = sharedData("words/american-english.txt");   // or Paths.get("your/words.txt")
List<String> words = new ArrayList<>();
if (wordList != null) {
  for (String line : Files.readAllLines(wordList)) {
    String w = line.trim().toLowerCase();
    if (w.matches("[a-z]+")) words.add(w);
  }
} else {
  words.addAll(List.of("emma", "olivia", "ava", "isabella", "sophia", "mia", "amelia", "harper", "evelyn", "abigail"));
}
words = new ArrayList<>(new LinkedHashSet<>(words));
Collections.shuffle(words, new Random(42));
int split = (int) (words.size() * 0.9);
List<String> train = words.subList(0, split), valid = words.subList(split, words.size());
System.out.printf("%d words: %d to train on, %d held out%n", words.size(), train.size(), valid.size());

// Characters: '.' marks the start and the end of a word, then a..z.
int code(char c) { return c == '.' ? 0 : c - 'a' + 1; }
char character(int k) { return k == 0 ? '.' : (char) ('a' + k - 1); }

// 1. The baseline: count which character follows which, with add-one smoothing.
double[][] counts = new double[27][27];
for (double[] row : counts) Arrays.fill(row, 1);
for (String w : train) { int p = 0; for (char c : (w + ".").toCharArray()) { counts[p][code(c)]++; p = code(c); } }
NDArray P = NDArray.of(counts);
P = P.div(P.sum(new int[] {1}, true));
double nll = 0; int n = 0;
for (String w : valid) { int p = 0; for (char c : (w + ".").toCharArray()) { nll -= Math.log(P.get(p, code(c))); n++; p = code(c); } }
double bigram = nll / n;
System.out.printf("bigram baseline: %.4f nats per character on held-out words%n", bigram);

// 2. makemore's MLP: the last 3 characters' embeddings, concatenated, through a tanh layer.
int block = 3;
int[][] contexts(List<String> ws, List<Integer> targets) {
  List<int[]> out = new ArrayList<>();
  for (String w : ws) {
    int[] ctx = new int[block];
    for (char c : (w + ".").toCharArray()) {
      out.add(ctx.clone()); targets.add(code(c));
      System.arraycopy(ctx, 1, ctx, 0, block - 1); ctx[block - 1] = code(c);
    }
  }
  return out.toArray(new int[0][]);
}
List<Integer> trainTargets = new ArrayList<>(), validTargets = new ArrayList<>();
int[][] Xtr = contexts(train, trainTargets), Xva = contexts(valid, validTargets);
int[] Ytr = trainTargets.stream().mapToInt(i -> i).toArray(), Yva = validTargets.stream().mapToInt(i -> i).toArray();

SplittableRandom rng = new SplittableRandom(42);
Embedding emb = new Embedding(27, 10, rng);
Linear hidden = new Linear(block * 10, 128, rng), head = new Linear(128, 27, rng);
Value logits(int[][] ctx) { return head.forward(hidden.forward(emb.forward(ctx).reshape(ctx.length, -1)).tanh()); }
List<Value> params = new ArrayList<>(emb.parameters());
params.addAll(hidden.parameters()); params.addAll(head.parameters());
Adam opt = Adam.adamW(params).lr(3e-3).build();

for (int step = 1; step <= 600; step++) {
  int[] pick = rng.ints(64, 0, Xtr.length).toArray();
  int[][] xb = new int[64][]; int[] yb = new int[64];
  for (int i = 0; i < 64; i++) { xb[i] = Xtr[pick[i]]; yb[i] = Ytr[pick[i]]; }
  Value loss = Losses.crossEntropy(logits(xb), yb);
  opt.zeroGrad(); loss.backward(); opt.step();
  if (step % 200 == 0) System.out.printf("step %d  batch loss %.4f%n", step, loss.item());
}

// Held-out loss without recording a graph (at most 20,000 examples to keep the notebook quick)
double heldOut;
try (ModeScope s = Autograd.noGrad()) {
  int m = Math.min(20_000, Xva.length);
  heldOut = Losses.crossEntropy(logits(Arrays.copyOf(Xva, m)), Arrays.copyOf(Yva, m)).item();
}
System.out.printf("MLP: %.4f nats per character (bigram %.4f)%n", heldOut, bigram);
if (wordList != null) check(heldOut < bigram, "the MLP beats the bigram baseline on held-out words");

// Sampling: draw from the softmax until the model writes '.'
String sample() {
  int[] ctx = new int[block];
  StringBuilder w = new StringBuilder();
  try (ModeScope s = Autograd.noGrad()) {
    while (w.length() < 20) {
      NDArray p = logits(new int[][] {ctx}).softmax(1).data();
      double u = rng.nextDouble(); int next = 26;
      for (int c = 0; c < 27; c++) { u -= p.get(0, c); if (u < 0) { next = c; break; } }
      if (next == 0) break;
      w.append(character(next));
      System.arraycopy(ctx, 1, ctx, 0, block - 1); ctx[block - 1] = next;
    }
  }
  return w.toString();
}
for (int i = 0; i < 8; i++) System.out.print(sample() + " ");
System.out.println();

// 3. Attention: a causal self-attention layer sees every earlier position, never a later one.
MultiheadAttention attn = MultiheadAttention.builder(10, 2).batchFirst(true).seed(1).build();
Value seq = emb.forward(new int[][] {{1, 2, 3}}).detach();               // "abc", [1, 3, 10]
Value out1 = attn.attend(seq, seq, seq).causal().compute().output();
Value seq2 = emb.forward(new int[][] {{1, 2, 26}}).detach();             // "abz": only the last position differs
Value out2 = attn.attend(seq2, seq2, seq2).causal().compute().output();
check(out1.data().slice(1, 0, 2).allClose(out2.data().slice(1, 0, 2), 0, 1e-12), "earlier outputs ignore the future");
System.out.println("The full example trains a causal transformer: autograd-demo makemore --data FILE --model transformer");
