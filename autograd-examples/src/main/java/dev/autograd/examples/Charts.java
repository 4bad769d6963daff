package dev.autograd.examples;

import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG charts for the examples, drawn with XChart. */
final class Charts {
  private static final int WIDTH = 900;
  private static final int HEIGHT = 560;

  private Charts() {}

  /** One line per series over x = 1, 2, ..., n. */
  static Path lines(Path file, String title, String xLabel, String yLabel, Map<String, double[]> series,
      boolean logY) {
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xLabel)
        .yAxisTitle(yLabel).build();
    chart.getStyler().setYAxisLogarithmic(logY);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    chart.getStyler().setMarkerSize(0);
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    series.forEach((name, ys) -> {
      double[] xs = new double[ys.length];
      for (int i = 0; i < xs.length; i++) {
        xs[i] = i + 1;
      }
      chart.addSeries(name, xs, ys).setMarker(SeriesMarkers.NONE);
    });
    return save(chart, file);
  }

  /**
   * A 2-d classifier: the plane coloured by predicted class (grid of small squares) with the samples on top.
   *
   * @param grid rows of (x, y, predicted label ±1)
   * @param points rows of (x, y, true label ±1)
   */
  static Path decisionBoundary(Path file, String title, double[][] grid, double[][] points) {
    XYChart chart = new XYChartBuilder().width(HEIGHT + 80).height(HEIGHT).title(title).xAxisTitle("x0")
        .yAxisTitle("x1").build();
    chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setPlotGridLinesVisible(false);
    addClass(chart, "predicted -1", grid, -1, new Color(255, 205, 205), SeriesMarkers.SQUARE, 7);
    addClass(chart, "predicted +1", grid, 1, new Color(200, 215, 255), SeriesMarkers.SQUARE, 7);
    addClass(chart, "class -1", points, -1, new Color(200, 30, 30), SeriesMarkers.CIRCLE, 9);
    addClass(chart, "class +1", points, 1, new Color(30, 60, 200), SeriesMarkers.CIRCLE, 9);
    return save(chart, file);
  }

  private static void addClass(XYChart chart, String name, double[][] rows, int label, Color color,
      org.knowm.xchart.style.markers.Marker marker, int size) {
    double[] xs = java.util.Arrays.stream(rows).filter(r -> r[2] == label).mapToDouble(r -> r[0]).toArray();
    double[] ys = java.util.Arrays.stream(rows).filter(r -> r[2] == label).mapToDouble(r -> r[1]).toArray();
    if (xs.length == 0) {
      return;
    }
    XYSeries s = chart.addSeries(name, xs, ys);
    s.setMarker(marker).setMarkerColor(color).setLineStyle(org.knowm.xchart.style.lines.SeriesLines.NONE);
    chart.getStyler().setMarkerSize(size);
  }

  private static Path save(XYChart chart, Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
      return file.getFileName().toString().endsWith(".png") ? file : Path.of(file + ".png");
    } catch (IOException e) {
      throw new UncheckedIOException("could not write chart " + file, e);
    }
  }
}
