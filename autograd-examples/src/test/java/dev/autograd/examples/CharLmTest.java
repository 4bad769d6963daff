package dev.autograd.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The makemore example: data handling on a small file, then both models against the bigram baseline on real words. */
class CharLmTest {
  @TempDir
  Path dir;

  private static final CharLm.Listener QUIET = new CharLm.Listener() {
    @Override
    public void onStep(int step, double loss) {}

    @Override
    public void onEvaluation(int step, double trainLoss, double validationLoss) {}
  };

  @Test
  void loadKeepsDistinctLowerCaseLetterWordsAndSplitsThem() throws IOException {
    Path file = dir.resolve("words.txt");
    Files.writeString(file, "Apple\napple\nbanana's\ncafé\n\n" + String.join("\n", List.of("cherry", "date", "elder",
        "fig", "grape", "hazel", "iris", "juniper", "kiwi", "lime")) + "\n");
    CharLm.Words w = CharLm.load(file, 1);
    assertEquals(11, w.train().size() + w.validation().size(), "apple once; banana's and café dropped");
    assertTrue(w.train().stream().allMatch(s -> s.matches("[a-z]+")));
    assertThrows(UserException.class, () -> CharLm.load(dir.resolve("missing.txt"), 1));
    Files.writeString(dir.resolve("few.txt"), "one\ntwo\n");
    assertThrows(UserException.class, () -> CharLm.load(dir.resolve("few.txt"), 1));
  }

  @Test
  void examplesPadTheContextWithDotsAndEndEachWordWithADot() {
    CharLm.Examples e = CharLm.Examples.of(List.of("ab"));
    assertEquals(3, e.size());
    assertEquals(CharLm.code('a'), e.targets()[0]);
    assertEquals(0, e.targets()[2], "the word ends with '.'");
    assertEquals(CharLm.code('a'), e.contexts()[2][CharLm.BLOCK - 2]);
    assertEquals(CharLm.code('b'), e.contexts()[2][CharLm.BLOCK - 1]);
    assertEquals(0, e.contexts()[0][0]);
  }

  @Test
  void bigramBaselineIsTheCountedEntropy() {
    // "ab" repeated: from '.', 'a' follows every time; the add-one smoothing spreads 1 count over 27
    double loss = CharLm.bigramLoss(List.of("ab", "ab"), List.of("ab"));
    double pa = 3.0 / 29;
    double expected = -(Math.log(pa) * 3) / 3; // each of '.'→a, a→b, b→. has 2 + 1 counts out of 2 + 27
    assertEquals(expected, loss, 1e-12);
  }

  @Test
  void bothModelsBeatTheBigramBaselineOnHeldOutWords() throws IOException {
    CharLm.Words words = CharLm.load(ExamplesTest.sharedData().resolve("words/american-english.txt"), 42);
    CharLm.Result mlp = CharLm.train(words, CharLm.Kind.MLP, 600, 64, 600, 5, 42, QUIET);
    assertTrue(mlp.validationLoss() < mlp.bigramValidation() - 0.05, "MLP " + mlp.validationLoss()
        + " vs bigram " + mlp.bigramValidation());
    CharLm.Result transformer = CharLm.train(words, CharLm.Kind.TRANSFORMER, 250, 64, 250, 5, 42, QUIET);
    assertTrue(transformer.validationLoss() < transformer.bigramValidation(), "transformer "
        + transformer.validationLoss() + " vs bigram " + transformer.bigramValidation());
    assertEquals(5, transformer.samples().size());
    assertTrue(transformer.samples().stream().allMatch(s -> s.matches("[a-z]*")));
  }
}
