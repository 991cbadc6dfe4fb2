"""A picture of the generator's samples after every epoch."""

import pathlib

import keras
import tensorflow as tf

GRID_SIZE = 64  # images in the per-epoch grid
CLASS_COLUMNS = 8  # a conditional GAN's grid: one row per class, this many samples each
POINTS = 2500  # samples in the per-epoch plot of 1-D and 2-D data


class SamplePictures(keras.callbacks.Callback):
    """Writes `epoch_NNNN.png` after every epoch, and the same picture to TensorBoard.

    Every picture comes from the same latent batch (`gan.generate` with a fixed
    seed), so the series shows the generator changing, not the noise: an
    image grid for images (for a conditional GAN one row per class, named),
    a scatter over the data for 2-D samples, a histogram against the data
    for 1-D samples.

    Args:
        samples_dir: folder for the PNG files (created if missing).
        data: samples of the data, drawn under 1-D and 2-D plots (not
            needed for images).
        seed: seed of the fixed latent batch.
        logs_dir: TensorBoard folder (images go to its `samples/` run), or None.
        display: optional map of a batch of generated images to [0, 1] (see
            `draw`).

    Example:
        >>> gan.fit(images, epochs=10, callbacks=[SamplePictures("pictures")])
    """

    def __init__(self, samples_dir, data=None, seed=0, logs_dir=None, display=None):
        super().__init__()
        self.samples_dir = pathlib.Path(samples_dir)
        self.data = data
        self.seed = seed
        self.display = display
        self._writer = None
        if logs_dir is not None:
            self._writer = tf.summary.create_file_writer(str(pathlib.Path(logs_dir) / "samples"))

    def on_train_begin(self, logs=None):
        if tuple(self.model.data_shape) in ((1,), (2,)) and self.data is None:
            raise ValueError(
                f"SamplePictures draws {self.model.data_shape[0]}-D samples over the data: "
                "pass data=. Received: data=None"
            )

    def on_epoch_end(self, epoch, logs=None):
        path = self.samples_dir / f"epoch_{epoch + 1:04d}.png"
        drawn = draw(
            self.model, self.data, path, self.seed, title=f"epoch {epoch + 1}", display=self.display
        )
        if drawn and self._writer is not None:
            image = tf.io.decode_png(tf.io.read_file(str(path)), channels=3)
            with self._writer.as_default():
                tf.summary.image("samples", image[tf.newaxis], step=epoch + 1)
            self._writer.flush()


def draw(gan, data, path, seed, title=None, display=None):
    """Draws samples of `gan` as suits its data (grid, scatter, histogram); False if none.

    `display` maps a batch of generated images to [0, 1] for the picture (for
    contrast-normalised data, `keras_gan.data.gcn_to_display`).
    """
    display = display or (lambda images: images)
    from keras_gan import plots  # matplotlib loads when a picture is drawn

    path = pathlib.Path(path)  # its folder is made by plots, which writes it
    shape = tuple(gan.data_shape)
    if len(shape) == 3 and getattr(gan, "num_classes", None):
        # generate's default labels are the classes in order, CLASS_COLUMNS each.
        samples = gan.generate(gan.num_classes * CLASS_COLUMNS, seed=seed)
        names = gan.class_names or [str(i) for i in range(gan.num_classes)]
        plots.plot_image_grid(
            display(samples), path, title=title, columns=CLASS_COLUMNS, row_labels=names
        )
    elif len(shape) == 3:
        plots.plot_image_grid(display(gan.generate(GRID_SIZE, seed=seed)), path, title=title)
    elif shape == (2,):
        plots.plot_samples_2d(gan.generate(POINTS, seed=seed), data[:POINTS], path, title=title)
    elif shape == (1,):
        plots.plot_samples_1d(gan.generate(POINTS, seed=seed), data, path, title=title)
    else:
        return False  # no picture suits other shapes
    return True
