package io.deepmnist.engine;

import static org.tensorflow.internal.c_api.global.tensorflow.TF_CloseSession;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteDeviceList;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteGraph;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteSession;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteSessionOptions;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteStatus;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListCount;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListMemoryBytes;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListName;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListType;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_GetCode;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_Message;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewGraph;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewSession;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewSessionOptions;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewStatus;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_SessionListDevices;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.tensorflow.TensorFlow;
import org.tensorflow.internal.c_api.TF_DeviceList;
import org.tensorflow.internal.c_api.TF_Graph;
import org.tensorflow.internal.c_api.TF_Session;
import org.tensorflow.internal.c_api.TF_SessionOptions;
import org.tensorflow.internal.c_api.TF_Status;

/** Lists the devices TensorFlow can use, through a probe session of the C API (TF Java has no call for it). */
public final class DeviceDiscovery {

    private static final int TF_OK = 0;

    private DeviceDiscovery() {
    }

    /** Every GPU TensorFlow can use, else the CPU alone: the devices that get a training worker. */
    public static List<ComputeDevice> trainingDevices() {
        return TensorFlowStartup.devices().training();
    }

    /** All devices, CPUs first. */
    public static List<ComputeDevice> listDevices() {
        return TensorFlowStartup.devices().all();
    }

    /** Opens a probe session and lists its devices, CPUs first; this loads TensorFlow's library if needed. */
    static List<ComputeDevice> probe() {
        TensorFlow.version(); // loads the native library
        TF_Status status = TF_NewStatus();
        TF_Graph graph = TF_NewGraph();
        TF_SessionOptions options = TF_NewSessionOptions();
        TF_Session session = TF_NewSession(graph, options, status);
        try {
            check(status);
            TF_DeviceList list = TF_SessionListDevices(session, status);
            check(status);
            try {
                List<ComputeDevice> devices = new ArrayList<>();
                for (int i = 0; i < TF_DeviceListCount(list); i++) {
                    String full = TF_DeviceListName(list, i, status).getString();
                    String type = TF_DeviceListType(list, i, status).getString();
                    long memory = TF_DeviceListMemoryBytes(list, i, status);
                    check(status);
                    if ("CPU".equals(type) || "GPU".equals(type)) {
                        String shortName = full.substring(full.indexOf("/device:"));
                        int index = Integer.parseInt(shortName.substring(shortName.lastIndexOf(':') + 1));
                        devices.add(new ComputeDevice(shortName, type, index, memory));
                    }
                }
                devices.sort(Comparator.comparing(ComputeDevice::type).thenComparingInt(ComputeDevice::index));
                return devices;
            } finally {
                TF_DeleteDeviceList(list);
            }
        } finally {
            if (session != null && !session.isNull()) {
                TF_CloseSession(session, status);
                TF_DeleteSession(session, status);
            }
            TF_DeleteSessionOptions(options);
            TF_DeleteGraph(graph);
            TF_DeleteStatus(status);
        }
    }

    private static void check(TF_Status status) {
        if (TF_GetCode(status) != TF_OK) {
            throw new IllegalStateException("TensorFlow cannot list its devices: " + TF_Message(status).getString());
        }
    }
}
