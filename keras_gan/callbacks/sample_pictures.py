"""A picture of the generator's samples after every epoch."""

import keras
import tensorflow as tf

from keras_gan import plots

GRID_SIZE = 64  # images in the per-epoch grid
POINTS = 2500  # samples in the per-epoch plot of 1-D and 2-D data


class SamplePictures(keras.callbacks.Callback):
    """Writes `samples/epoch_NNNN.png` and the same picture to TensorBoard.

    Every picture comes from the same latent batch (`gan.generate` with a fixed
    seed), so the series shows the generator changing, not the noise.

    Args:
        samples_dir: folder for the PNG files.
        logs_dir: TensorBoard folder (images go to its `samples/` run), or None.
        data: samples of the data, drawn under 1-D and 2-D plots.
        seed: seed of the fixed latent batch.
        write: False on workers that must not write files.
    """

    def __init__(self, samples_dir, logs_dir, data, seed, write=True):
        super().__init__()
        self.samples_dir = samples_dir
        self.data = data
        self.seed = seed
        self.write = write
        self._writer = None
        if write and logs_dir is not None:
            self._writer = tf.summary.create_file_writer(str(logs_dir / "samples"))

    def on_epoch_end(self, epoch, logs=None):
        if not self.write:
            return
        path = self.samples_dir / f"epoch_{epoch + 1:04d}.png"
        drawn = draw(self.model, self.data, path, self.seed, title=f"epoch {epoch + 1}")
        if drawn and self._writer is not None:
            image = tf.io.decode_png(tf.io.read_file(str(path)), channels=3)
            with self._writer.as_default():
                tf.summary.image("samples", image[tf.newaxis], step=epoch + 1)
            self._writer.flush()


def draw(gan, data, path, seed, title=None):
    """Draws samples of `gan` as suits its data (grid, scatter, histogram); False if none."""
    path.parent.mkdir(parents=True, exist_ok=True)
    shape = tuple(gan.data_shape)
    if len(shape) == 3:
        plots.plot_image_grid(gan.generate(GRID_SIZE, seed=seed), path, title=title)
    elif shape == (2,):
        plots.plot_samples_2d(gan.generate(POINTS, seed=seed), data[:POINTS], path, title=title)
    elif shape == (1,):
        plots.plot_samples_1d(gan.generate(POINTS, seed=seed), data, path, title=title)
    else:
        return False  # no picture suits other shapes
    return True
